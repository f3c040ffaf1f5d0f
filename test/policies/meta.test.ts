import { Policy } from "@pulumi/policy";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { policies } from "../../policy/pack";
import { withPolicyReference } from "../../tools/lib/policyCatalogue";
import { repoRoot } from "../support/stackConfig";

const policyDir = path.join(repoRoot, "policy");
const groups = fs
    .readdirSync(policyDir, { withFileTypes: true })
    .filter(d => d.isDirectory() && !["lib", "config", "node_modules"].includes(d.name))
    .map(d => d.name);
const isPolicy = (value: unknown): value is Policy =>
    typeof value === "object" && value !== null && typeof (value as Policy).name === "string" && typeof (value as Policy).description === "string";

describe("the policy pack as a whole", () => {
    it("has one policy per file, grouped by concern, each registered in the pack", () => {
        const found: string[] = [];
        for (const group of groups) {
            for (const file of fs.readdirSync(path.join(policyDir, group)).filter(f => f.endsWith(".ts"))) {
                const exported = Object.values(require(path.join(policyDir, group, file)) as Record<string, unknown>).filter(isPolicy);
                assert.equal(exported.length, 1, `policy/${group}/${file} should export exactly one policy`);
                assert.ok(policies.includes(exported[0]), `${exported[0].name} (policy/${group}/${file}) is not registered in policy/pack.ts`);
                found.push(exported[0].name);
            }
        }
        assert.deepEqual(found.sort(), policies.map(p => p.name).sort(), "the pack registers a policy that has no file of its own");
    });

    it("names each policy in kebab-case, once, with a sentence description and an explicit level", () => {
        const names = new Set<string>();
        for (const policy of policies) {
            assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, policy.name);
            assert.notEqual(policy.name, "all", '"all" is reserved by the engine');
            assert.ok(!names.has(policy.name), `${policy.name} is registered twice`);
            names.add(policy.name);
            assert.match(policy.description, /^[A-Z].*\.$/, `${policy.name}: description should be a sentence`);
            assert.ok(policy.enforcementLevel, `${policy.name}: set an enforcement level`);
            assert.ok(!policy.configSchema?.properties?.enforcementLevel, `${policy.name}: enforcementLevel may not be a config property`);
        }
    });

    it("has a test file for every policy that exercises it by name", () => {
        // Policy tests live in test/policies (flat) or mirror the pack under test/policy/<group>/.
        const testFiles = (dir: string): string[] =>
            fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith(".test.ts") ? [path.join(dir, e.name)] : [])) : [];
        const tests = [...testFiles(path.join(repoRoot, "test", "policies")), ...testFiles(path.join(repoRoot, "test", "policy"))].map(f => fs.readFileSync(f, "utf8"));
        for (const policy of policies) {
            assert.ok(tests.some(t => t.includes(`describe("policy ${policy.name}"`)), `no test describes policy ${policy.name}`);
        }
    });

    it("is laid out as `pulumi policy new` lays a pack out, and its entry serves the assembled list", () => {
        const manifest = parseYaml(fs.readFileSync(path.join(policyDir, "PulumiPolicy.yaml"), "utf8"));
        assert.equal(manifest.runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(policyDir, "package.json"), "utf8"));
        assert.match(pkg.version, /^\d+\.\d+\.\d+$/, "the engine reads the pack's version from package.json");
        assert.ok(pkg.dependencies["@pulumi/policy"]);
        const entry = fs.readFileSync(path.join(policyDir, "index.ts"), "utf8");
        assert.match(entry, /new PolicyPack\(packName, \{ enforcementLevel: packEnforcementLevel, policies \}\)/);
        assert.ok(fs.existsSync(path.join(policyDir, "tsconfig.json")));
    });

    it("is catalogued in docs/policies.md: a section per policy, and a generated reference that is up to date", () => {
        const catalogue = fs.readFileSync(path.join(repoRoot, "docs", "policies.md"), "utf8");
        for (const policy of policies) {
            assert.ok(catalogue.includes(`\n### \`${policy.name}\`\n`), `docs/policies.md has no section for ${policy.name}`);
        }
        assert.equal(catalogue, withPolicyReference(catalogue, policies), "docs/policies.md is stale: run npm run docs");
    });

    it("ships a policy config per stack that the pack accepts", async () => {
        const { reconcilePolicyConfig } = await import("../../tools/lib/policyEngine");
        const { loadPolicyPack } = await import("../../tools/lib/planStack");
        const files = fs.readdirSync(path.join(policyDir, "config")).filter(f => f.endsWith(".json"));
        assert.ok(files.includes("staging.json") && files.includes("production.json"), files.join(", "));
        for (const file of files) {
            const config = JSON.parse(fs.readFileSync(path.join(policyDir, "config", file), "utf8"));
            const { warnings } = reconcilePolicyConfig(loadPolicyPack(), config);
            assert.deepEqual(warnings, [], file);
        }
    });
});
