import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import type { Log, Result } from "sarif";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { policies } from "../../../policy/pack";
import { loadPolicyPack } from "../../../tools/engine/pack";
import { PlanDocument } from "../../../tools/plan/document";
import { planStack } from "../../../tools/plan/planStack";
import { sourcePath } from "../../../tools/runtime/paths";
import { policyHelp, renderSarif, securitySeverity } from "../../../tools/plan/sarif";
import { runTool, tempDir } from "../../support/cli";
import { repoRoot } from "../../support/stackConfig";

// The SARIF 2.1.0 schema as the OASIS standard published it (draft-04), shipped in Microsoft's
// @microsoft/jest-sarif (pinned in package.json). The errata's one structural addition, a region
// locating by startLine, charOffset or byteOffset, is asserted beside it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const schema = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as Record<string, unknown>;
// unicodeRegExp off: the schema's run.language pattern is not valid as a unicode regular expression
// (the errata corrected it); compiled as the schema's own JavaScript era would, it is.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

function assertValidSarif(log: unknown): asserts log is Log {
    const valid = validateSarif(log);
    assert.ok(valid, `not valid SARIF 2.1.0: ${ajv.errorsText(validateSarif.errors, { separator: "\n" })}`);
    for (const result of (log as Log).runs.flatMap(r => r.results ?? [])) {
        for (const location of result.locations ?? []) {
            assert.ok((location.physicalLocation?.region?.startLine ?? 0) >= 1, "a region without a start line");
        }
    }
}

const readSarif = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
const lineOf = (file: string, pattern: RegExp) =>
    fs
        .readFileSync(file, "utf8")
        .split("\n")
        .findIndex(l => pattern.test(l)) + 1;
const LITERAL = "literal-value-3b9e-never-in-sarif";

describe("SARIF", () => {
    const dir = tempDir();

    it("the schema check can fail: a result without a message, or with an unknown level, is refused", () => {
        const log = { version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ ruleId: "r", level: "fatal" }] }] };
        assert.equal(validateSarif(log), false);
    });

    it("plan --sarif: valid SARIF 2.1.0, one rule per policy, each result at the stack file's line of the config key that caused it, no flagged credential", async () => {
        const doc = parseYaml(fs.readFileSync(path.join(repoRoot, "Pulumi.production.yaml"), "utf8"));
        doc.config["trading-platform:dockerHost"].services["rest-adapter"].env.PARTNER_API_SECRET = LITERAL;
        const stackFile = path.join(dir, "Pulumi.production.yaml");
        fs.writeFileSync(stackFile, toYaml(doc));
        const sarif = path.join(dir, "production.sarif");
        const json = path.join(dir, "production.json");
        const result = await runTool("plan", ["--stack", "production", "--stack-file", stackFile, "--sarif", sarif, "--json", json]);
        assert.equal(result.code, 1, result.stderr);
        const log = readSarif(sarif);
        assertValidSarif(log);
        assert.ok(!fs.readFileSync(sarif, "utf8").includes(LITERAL), "the SARIF carries the plaintext credential");

        const [run] = log.runs;
        assert.deepEqual(
            run.tool.driver.rules?.map(r => r.id),
            policies.map(p => p.name),
        );
        assert.equal(run.automationDetails?.id, "trading-platform/plan/production/");
        const byRule = (id: string) => (run.results ?? []).filter((r: Result) => r.ruleId === id);

        const [credential] = byRule("no-plaintext-credentials");
        assert.equal(credential.level, "error");
        assert.equal(run.tool.driver.rules?.[credential.ruleIndex ?? -1].id, "no-plaintext-credentials");
        const located = credential.locations?.[0];
        assert.equal(located?.physicalLocation?.artifactLocation?.uri, `file://${stackFile}`);
        // The service's entry under dockerHost.services, traced from the container through its component.
        assert.equal(located?.physicalLocation?.region?.startLine, lineOf(stackFile, /^ {6}rest-adapter:$/));
        assert.equal(located?.message?.text, "config key trading-platform:dockerHost.services.rest-adapter");
        assert.match(located?.logicalLocations?.[0].fullyQualifiedName ?? "", /Container::synaptic-prod-rest-adapter$/);
        assert.match(credential.message.text ?? "", /PARTNER_API_SECRET is named like a credential.*Fix: /);

        // Every resource of the api service, the Deployments and what they contain, at the line of
        // deployments.services.api; the plan JSON records the same origin.
        const plan = JSON.parse(fs.readFileSync(json, "utf8")) as PlanDocument;
        const api = plan.resources.filter(r => r.parent?.endsWith("BlueGreenService::api") || r.urn.endsWith("BlueGreenService::api"));
        assert.ok(api.length >= 8, `only ${api.length} resources of the api service`);
        for (const r of api) {
            assert.deepEqual(
                r.origin,
                {
                    file: sourcePath(stackFile),
                    line: lineOf(stackFile, /^ {6}api:$/),
                    configKey: "trading-platform:deployments.services.api",
                },
                r.urn,
            );
        }
    });

    it("rules carry the policy's description, severity as GitHub code scanning reads it, and the catalogue's help with the fix", () => {
        const doc = {
            project: "trading-platform",
            stack: "staging",
            source: "manifests",
            resources: [],
            policyPack: {
                name: "trading-platform",
                version: "0.1.0",
                enforcementLevel: "mandatory",
                levels: { "production-deployment-window": "mandatory" },
            },
            policyResults: { violations: [], errors: [], remediations: [], warnings: [] },
            summary: { passed: true },
        };
        const log = renderSarif(doc as never, loadPolicyPack(), { command: "policy-check", fallbackFile: "x.yaml" });
        assertValidSarif(log);
        const rules = log.runs[0].tool.driver.rules ?? [];
        for (const policy of policies) {
            const rule = rules.find(r => r.id === policy.name);
            assert.equal(rule?.fullDescription?.text, policy.description);
            assert.equal(rule?.properties?.["security-severity"], securitySeverity[policy.severity!]);
            assert.ok(
                (rule?.properties?.tags as string[]).includes("security"),
                "code scanning reads security-severity only with the security tag",
            );
            assert.match(rule?.help?.markdown ?? "", /\bFix\b/, `${policy.name} has no fix in its help`);
            // No bold markup left around prose (a literal `****` inside a code span stays, as in no-plaintext-credentials' masks).
            assert.doesNotMatch(rule?.help?.text ?? "", /\*\*[A-Za-z][^*\n]*\*\*/);
        }
        const credentials = rules.find(r => r.id === "no-plaintext-credentials");
        assert.match(credentials?.help?.text ?? "", /masks\s+\(\*\*\*\*, xxxx\)/);
        assert.match(credentials?.help?.text ?? "", /- Limits: /);
        const window = rules.find(r => r.id === "production-deployment-window");
        assert.equal(window?.defaultConfiguration?.level, "warning");
        // Run at mandatory by the config: an override of the rule's default for this run.
        assert.deepEqual(log.runs[0].invocations?.[0].ruleConfigurationOverrides, [
            {
                descriptor: { id: "production-deployment-window", index: rules.indexOf(window!) },
                configuration: { level: "error", enabled: true },
            },
        ]);
    });

    it("policy check --sarif: each result at its manifest's document line; a plan keeps the origins it recorded", async () => {
        const manifest = "test/tools/fixtures/manifests/insecure.yaml";
        const sarif = path.join(dir, "check.sarif");
        const json = path.join(dir, "check.json");
        const result = await runTool("policy", ["check", manifest, "--stack", "staging", "--sarif", sarif, "--json", json]);
        assert.equal(result.code, 1);
        const log = readSarif(sarif);
        assertValidSarif(log);
        const results = log.runs[0].results ?? [];
        assert.ok(results.length >= 7);
        for (const r of results) {
            assert.equal(r.locations?.[0].physicalLocation?.artifactLocation?.uri, manifest);
            assert.equal(r.locations?.[0].physicalLocation?.artifactLocation?.uriBaseId, "%SRCROOT%");
            assert.equal(
                r.locations?.[0].physicalLocation?.region?.startLine,
                lineOf(manifest, /^apiVersion: batch\/v1$/),
                "the Job's document line",
            );
        }
        assert.ok(!fs.readFileSync(sarif, "utf8").includes("not-a-real-password"));
        assert.equal(log.runs[0].automationDetails?.id, "trading-platform/policy-check/staging/");

        // The plan JSON written by check keeps each resource's origin; checking it again locates the same way.
        const again = path.join(dir, "again.sarif");
        assert.equal((await runTool("policy", ["check", json, "--sarif", again])).code, 1);
        const reread = readSarif(again);
        assertValidSarif(reread);
        assert.deepEqual(
            (reread.runs[0].results ?? []).map(r => r.locations?.[0].physicalLocation),
            results.map(r => r.locations?.[0].physicalLocation),
        );
    });

    it("carries no secret: a sentinel secret in config shows nowhere in the SARIF", async () => {
        const SENTINEL = "SENTINEL-sarif-5d1c-never-print-me";
        const staging = parseYaml(fs.readFileSync(path.join(repoRoot, "Pulumi.staging.yaml"), "utf8")).config as Record<string, unknown>;
        const values = Object.fromEntries(Object.entries(staging).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
        values["trading-platform:ghcrToken"] = SENTINEL;
        // A literal credential in config too, so there is a violation whose message could quote it.
        const docker = JSON.parse(values["trading-platform:dockerHost"]);
        docker.services["rest-adapter"].env.API_TOKEN = SENTINEL;
        values["trading-platform:dockerHost"] = JSON.stringify(docker);
        const secretKeys = Object.keys(staging).filter(
            k => typeof staging[k] === "object" && staging[k] !== null && "secure" in (staging[k] as object),
        );
        const { document, pack } = await planStack({ stack: "staging", config: { values, secretKeys } });
        assert.ok(document.policyResults.violations.some(v => v.policyName === "no-plaintext-credentials"));
        const text = JSON.stringify(renderSarif(document, pack, { command: "plan", fallbackFile: "Pulumi.staging.yaml" }));
        assert.ok(!text.includes(SENTINEL), "the SARIF carries a secret");
    });

    it("reads each policy's help from its section of the catalogue", () => {
        const help = policyHelp(
            "# Title\n\n## Group\n\n### `a-policy`\n- **Checks**: x.\n- **Fix**: y.\n\n### `b-policy`\n- **Fix**: z.\n\n## Reference\n\n### Policies by topic\nno\n",
        );
        assert.deepEqual(
            [...help.entries()],
            [
                ["a-policy", "- **Checks**: x.\n- **Fix**: y."],
                ["b-policy", "- **Fix**: z."],
            ],
        );
    });
});
