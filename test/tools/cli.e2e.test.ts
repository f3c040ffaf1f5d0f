import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { stringify as toYaml } from "yaml";
import { PlanDocument } from "../../tools/plan/document";
import { planStack } from "../../tools/plan/planStack";
import { renderMarkdown, renderText } from "../../tools/plan/report";
import { scrubber } from "../../tools/plan/document";
import { runTool, spawnTool, tempDir } from "../support/cli";
import { repoRoot } from "../support/stackConfig";
import { parse as parseYaml } from "yaml";

const SENTINEL = "SENTINEL-7f3a9c-never-print-me";

/** Writes a copy of a committed stack file with `edit` applied to its config map. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function stackFileWith(stack: string, edit: (config: Record<string, any>) => void): string {
    const doc = parseYaml(fs.readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8"));
    edit(doc.config);
    const file = path.join(tempDir(), `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, toYaml(doc));
    return file;
}

describe("plan and policy check, end to end", () => {
    const dir = tempDir();

    // Most cases run each command's main in process; these two start the real commands.
    it("plan of the staging stack passes, exits 0 and writes the JSON and markdown reports", async () => {
        const json = path.join(dir, "staging.json");
        const markdown = path.join(dir, "staging.md");
        const result = await spawnTool("plan", ["--stack", "staging", "--json", json, "--markdown", markdown]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^Offline plan of stack "staging" \(project trading-platform\)/);
        assert.match(result.stdout, /docker:index\/container:Container/);
        assert.match(result.stdout, /PASSED: no mandatory policy violation/);
        const doc = JSON.parse(fs.readFileSync(json, "utf8")) as PlanDocument;
        assert.equal(doc.schemaVersion, 2);
        assert.equal(doc.stack, "staging");
        assert.equal(doc.summary.passed, true);
        assert.equal(doc.summary.resources, doc.resources.length);
        assert.ok(doc.resources.every(r => r.urn.startsWith("urn:pulumi:staging::trading-platform::")));
        // As the engine registers them: the root stack, parent of everything else but default providers.
        const root = doc.resources.find(r => r.type === "pulumi:pulumi:Stack");
        assert.equal(root?.urn, "urn:pulumi:staging::trading-platform::pulumi:pulumi:Stack::trading-platform-staging");
        const defaults = doc.resources.filter(r => r.type.startsWith("pulumi:providers:") && r.name.startsWith("default"));
        assert.ok(defaults.length > 0, "no default provider");
        assert.ok(
            doc.resources.every(r => r === root || defaults.includes(r) || r.parent),
            "a resource without a parent",
        );
        assert.ok(
            doc.resources.every(r => !r.custom || r.type.startsWith("pulumi:providers:") || r.provider),
            "a custom resource without a provider",
        );
        assert.match(fs.readFileSync(markdown, "utf8"), /^<!-- trading-platform-plan:staging -->\n### ✅ Offline plan of stack "staging"/);

        // The plan it wrote can be checked again on its own.
        const recheck = await runTool("policy", ["check", json]);
        assert.equal(recheck.code, 0, recheck.stdout + recheck.stderr);
        assert.match(recheck.stdout, /^Policy check of a plan of stack "staging"/);
    });

    it("plan exits 1 on a mandatory violation and names the policy, the URN and the fix", async () => {
        const file = stackFileWith("production", config => {
            config["trading-platform:dockerHost"].services["rest-adapter"].env.PARTNER_API_SECRET = "literal-value";
        });
        const result = await runTool("plan", ["--stack", "production", "--stack-file", file]);
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stdout, /no-plaintext-credentials \[mandatory, severity critical\] — 1 violation\(s\)/);
        assert.match(
            result.stdout,
            /urn:pulumi:production::trading-platform::trading-platform:docker:DockerHostNamespace\$docker:index\/container:Container::synaptic-prod-rest-adapter/,
        );
        assert.match(result.stdout, /PARTNER_API_SECRET is named like a credential .* Fix: /);
        assert.match(result.stdout, /FAILED: 1 mandatory violation\(s\)/);
        assert.ok(!result.stdout.includes("literal-value"));
    });

    it("plan exits 2 on invalid config, names the problem, registers nothing and never prints a plaintext credential", async () => {
        const file = stackFileWith("staging", config => {
            config["trading-platform:ghcrToken"] = SENTINEL;
            config["trading-platform:dockerHost"].services["data-pipeline"].memory = 2048;
        });
        const result = await runTool("plan", ["--stack", "staging", "--stack-file", file]);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /Invalid configuration for stack "staging" \(2 problems\); no resource was registered:/);
        assert.match(result.stderr, /staging: trading-platform:dockerHost\.services\.data-pipeline\.memory: expected a size with a unit/);
        assert.match(result.stderr, /staging: trading-platform:ghcrToken: expected a secret .*; found a plaintext value/);
        assert.ok(!(result.stdout + result.stderr).includes(SENTINEL));
    });

    it("plan exits 2 on usage errors", async () => {
        const [missing, unknown] = await Promise.all([runTool("plan", []), runTool("plan", ["--stack", "qa"])]);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /^--stack is required\nRun `npm run plan -- --help` for usage\.\n$/);
        assert.equal(unknown.code, 2);
        assert.match(unknown.stderr, /No stack file for stack "qa" .* known stacks: production, staging/);
    });

    it("policy check exits 0 on hardened manifests and 1 on insecure ones, with a JSON report", async () => {
        const json = path.join(dir, "check.json");
        const [good, bad] = await Promise.all([
            spawnTool("policy", ["check", "test/tools/fixtures/manifests/hardened.yaml", "--stack", "staging"]),
            spawnTool("policy", ["check", "test/tools/fixtures/manifests/insecure.yaml", "--stack", "staging", "--json", json]),
        ]);
        assert.equal(good.code, 0, good.stdout + good.stderr);
        assert.equal(bad.code, 1, bad.stdout + bad.stderr);
        const doc = JSON.parse(fs.readFileSync(json, "utf8")) as PlanDocument;
        assert.equal(doc.source, "manifests");
        assert.deepEqual(doc.summary.resourcesByType, { "kubernetes:batch/v1:Job": 1, "kubernetes:core/v1:ConfigMap": 1 });
        const job = "urn:pulumi:staging::trading-platform::kubernetes:batch/v1:Job::trading-staging/migrate";
        assert.ok(doc.policyResults.violations.every(v => v.urn === job && v.enforcementLevel === "mandatory"));
        assert.deepEqual(
            [...new Set(doc.policyResults.violations.map(v => v.policyName))],
            [
                "kubernetes-read-only-root-filesystem",
                "kubernetes-run-as-non-root",
                "kubernetes-no-privilege-escalation",
                "kubernetes-drop-all-capabilities",
                "kubernetes-seccomp-runtime-default",
                "kubernetes-resource-requests-limits",
                "no-plaintext-credentials",
                "kubernetes-service-account-token",
                // A stack policy: the namespace has workloads and no default deny; it names the workload.
                "kubernetes-network-policy-coverage",
            ],
        );
        // A Job runs to completion: probes and zone spread do not apply to it.
        assert.ok(
            !doc.policyResults.violations.some(v => v.policyName === "kubernetes-probes" || v.policyName === "kubernetes-zone-spread"),
        );
        assert.ok(!bad.stdout.includes("not-a-real-password"));
    });

    it("policy check exits 2 without --stack for manifests, or on an unknown command", async () => {
        const [noStack, noCommand] = await Promise.all([
            runTool("policy", ["check", "test/tools/fixtures/manifests/hardened.yaml"]),
            runTool("policy", ["lint", "x.yaml"]),
        ]);
        assert.equal(noStack.code, 2);
        assert.match(noStack.stderr, /--stack is required when checking manifests/);
        assert.equal(noCommand.code, 2);
        assert.match(noCommand.stderr, /Unknown command "lint"/);
    });

    it("keeps secrets out of every report: a sentinel secret shows only as [secret]", async () => {
        const staging = parseYaml(fs.readFileSync(path.join(repoRoot, "Pulumi.staging.yaml"), "utf8")).config;
        const values = Object.fromEntries(
            Object.entries(staging).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
        ) as Record<string, string>;
        values["trading-platform:ghcrToken"] = SENTINEL;
        const secretKeys = Object.keys(staging).filter(
            k => typeof staging[k] === "object" && staging[k] !== null && "secure" in staging[k],
        );
        assert.ok(secretKeys.includes("trading-platform:ghcrToken"));
        const { document, secretValues } = await planStack({ stack: "staging", config: { values, secretKeys } });
        assert.ok(secretValues.includes(SENTINEL));
        const provider = document.resources.find(r => r.type === "pulumi:providers:docker");
        assert.equal(provider?.inputs.registryAuth, "[secret]");
        for (const text of [JSON.stringify(document), renderText(document), renderMarkdown(document)]) {
            assert.ok(!text.includes(SENTINEL), "a report carries the secret");
        }
    });

    it("scrubs known secret values from free text as a last line of defence", () => {
        const scrub = scrubber(["TOKEN=abcdef123456", "xyz"]);
        assert.equal(scrub("value abcdef123456 and TOKEN=abcdef123456; xyz stays"), "value [secret] and [secret]; xyz stays");
    });
});
