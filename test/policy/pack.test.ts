import { builtinModules } from "module";
import { Policy, ResourceValidationPolicy } from "@pulumi/policy";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { metadataOf, metadataProblems, topics } from "../../policy/lib/metadata";
import { policies } from "../../policy/pack";
import { withPolicyReference } from "../../tools/catalogue/policyCatalogue";
import { repoRoot } from "../support/stackConfig";

const policyDir = path.join(repoRoot, "policy");
const groups = fs
    .readdirSync(policyDir, { withFileTypes: true })
    .filter(d => d.isDirectory() && !["lib", "config", "platform", "node_modules"].includes(d.name))
    .map(d => d.name);
const isPolicy = (value: unknown): value is Policy =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as Policy).name === "string" &&
    typeof (value as Policy).description === "string";

describe("the policy pack as a whole", () => {
    it("has one policy per file, grouped by concern, each registered in the pack", () => {
        const found: string[] = [];
        for (const group of groups) {
            for (const file of fs.readdirSync(path.join(policyDir, group)).filter(f => f.endsWith(".ts"))) {
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- each policy file by path
                const exported = Object.values(require(path.join(policyDir, group, file)) as Record<string, unknown>).filter(isPolicy);
                assert.equal(exported.length, 1, `policy/${group}/${file} should export exactly one policy`);
                assert.ok(
                    policies.includes(exported[0]),
                    `${exported[0].name} (policy/${group}/${file}) is not registered in policy/pack.ts`,
                );
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

    it("gives every policy a severity and topics from the closed lists, and refuses a policy without them", () => {
        const problems = policies.flatMap(metadataProblems);
        assert.deepEqual(problems, []);
        for (const policy of policies) assert.ok(metadataOf(policy).topics.length > 0);

        const bare: ResourceValidationPolicy = {
            name: "bare-policy",
            description: "A policy with no metadata.",
            enforcementLevel: "mandatory",
            validateResource: () => undefined,
        };
        assert.deepEqual(metadataProblems(bare), [
            "bare-policy: no severity; spread withMetadata({ severity, topics }) from policy/lib/metadata into it",
            `bare-policy: no topics; give it at least one of ${topics.join(", ")}`,
        ]);
        assert.throws(() => metadataOf(bare), /bare-policy: no severity/);
        const wrong = { ...bare, severity: "urgent", tags: ["containers", "github", "github"] } as unknown as Policy;
        assert.deepEqual(metadataProblems(wrong), [
            'bare-policy: severity "urgent" is not one of critical, high, medium, low',
            `bare-policy: topic "containers" is not in the closed list (${topics.join(", ")})`,
            "bare-policy: a topic is listed twice",
        ]);
    });

    it("hands severity and topics to the engine: the SDK's own analyzer info carries them for every policy", () => {
        // protoutil builds the PolicyInfo list the analyzer serves over gRPC (GetAnalyzerInfo).
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's internal module, outside its typings
        const { makeAnalyzerInfo } = require("@pulumi/policy/protoutil") as {
            makeAnalyzerInfo: (...args: unknown[]) => {
                getPoliciesList(): { getName(): string; getSeverity(): number; getTagsList(): string[] }[];
            };
        };
        const served = makeAnalyzerInfo("trading-platform", "0.1.0", "mandatory", { policies }, {}).getPoliciesList();
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's internal module, outside its typings
        const { PolicySeverity } = require("@pulumi/pulumi/proto/analyzer_pb") as { PolicySeverity: Record<string, number> };
        const protoSeverity = (severity: string) => PolicySeverity[`POLICY_SEVERITY_${severity.toUpperCase()}`];
        assert.deepEqual(
            served.map(p => [p.getName(), p.getSeverity(), p.getTagsList()]),
            policies.map(p => [p.name, protoSeverity(metadataOf(p).severity), [...metadataOf(p).topics]]),
        );
    });

    it("has a test file for every policy that exercises it by name", () => {
        const testDir = path.join(repoRoot, "test", "policy");
        const tests = (fs.readdirSync(testDir, { recursive: true }) as string[])
            .filter(f => f.endsWith(".test.ts"))
            .map(f => fs.readFileSync(path.join(testDir, f), "utf8"));
        for (const policy of policies) {
            assert.ok(
                tests.some(t => t.includes(`describe("policy ${policy.name}"`)),
                `no test describes policy ${policy.name}`,
            );
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

    it("declares every package its files import, at the version the program pins (pulumi policy publish installs only these)", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(policyDir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        const root = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        const imported = new Set<string>();
        const walk = (dir: string): void => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const file = path.join(dir, entry.name);
                if (entry.isDirectory()) {
                    if (entry.name !== "node_modules") walk(file);
                } else if (entry.name.endsWith(".ts")) {
                    for (const [, spec] of fs.readFileSync(file, "utf8").matchAll(/(?:from|require\()\s*"([^"]+)"/g)) {
                        if (spec.startsWith(".") || spec.startsWith("node:")) continue;
                        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
                        if (!builtinModules.includes(name)) imported.add(name);
                    }
                }
            }
        };
        walk(policyDir);
        assert.ok(imported.has("@pulumi/policy"), "the walk found the pack's imports");
        for (const name of imported) {
            assert.ok(pkg.dependencies[name], `policy/ imports ${name} but policy/package.json does not declare it`);
            if (root.dependencies[name]) {
                assert.equal(pkg.dependencies[name], root.dependencies[name], `${name}: the pack and the program pin the same version`);
            }
        }
    });

    it("is catalogued in docs/policies.md: a section per policy, and a generated reference that is up to date", () => {
        const catalogue = fs.readFileSync(path.join(repoRoot, "docs", "policies.md"), "utf8");
        for (const policy of policies) {
            assert.ok(catalogue.includes(`\n### \`${policy.name}\`\n`), `docs/policies.md has no section for ${policy.name}`);
        }
        assert.equal(catalogue, withPolicyReference(catalogue, policies), "docs/policies.md is stale: run npm run docs");
    });

    it("ships a policy config per stack that the pack accepts", async () => {
        const { reconcilePolicyConfig } = await import("../../tools/engine/policyEngine");
        const { loadPolicyPack } = await import("../../tools/engine/pack");
        const files = fs.readdirSync(path.join(policyDir, "config")).filter(f => f.endsWith(".json"));
        assert.ok(files.includes("staging.json") && files.includes("production.json"), files.join(", "));
        for (const file of files) {
            const config = JSON.parse(fs.readFileSync(path.join(policyDir, "config", file), "utf8"));
            const { warnings } = reconcilePolicyConfig(loadPolicyPack(), config);
            assert.deepEqual(warnings, [], file);
        }
    });
});
