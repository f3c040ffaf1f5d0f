import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Severity } from "@pulumi/policy";
import { severities } from "../../policy/lib/metadata";
import { policies } from "../../policy/pack";
import { PlanDocument, PLAN_SCHEMA_VERSION } from "../../tools/plan/document";
import { aliasBomb } from "../support/badInput";
import { runTool, tempDir } from "../support/cli";
import { committedPlan } from "../support/committedPlans";

const hardened = "test/tools/fixtures/manifests/hardened.yaml";
const check = (...args: string[]) => runTool("policy", ["check", ...args]);

/** A usage error: exit 2, a short message on stderr, no trace, nothing on stdout. */
function assertUsage(result: { code: number; stdout: string; stderr: string }, message: RegExp): void {
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "a stack trace was printed");
    assert.doesNotMatch(result.stderr, /^Usage:/m, "the whole usage block was repeated");
    assert.match(result.stderr, /Run `npm run policy -- --help` for usage\./);
    assert.equal(result.stdout, "");
}

describe("policy check: bad input", () => {
    const dir = tempDir();

    it("refuses a stack the pack does not know, naming the known ones", async () => {
        for (const stack of ["Staging", "dev", "staging-eu"]) {
            assertUsage(
                await check(hardened, "--stack", stack),
                new RegExp(`Unknown stack "${stack}": the policy pack knows production, staging`),
            );
        }
    });

    it("refuses a missing file and a directory with one line, no stack trace", async () => {
        assertUsage(await check("rendered/missing.yaml", "--stack", "staging"), /^Manifest file rendered\/missing\.yaml does not exist\n/);
        assertUsage(await check(dir, "--stack", "staging"), /is a directory; give the files in it \(e\.g\. .*\*\.yaml\)/);
        assertUsage(await check(path.join(dir, "missing.json")), /^Plan file .*missing\.json does not exist/);
    });

    it("refuses an empty manifest set: a failed `helm template > file` leaves an empty file", async () => {
        const empty = path.join(dir, "empty.yaml");
        fs.writeFileSync(empty, "");
        assertUsage(await check(empty, "--stack", "staging"), /empty\.yaml holds no Kubernetes object/);
        const separators = path.join(dir, "separators.yaml");
        fs.writeFileSync(separators, "---\n---\n");
        assertUsage(await check(hardened, separators, "--stack", "staging"), /separators\.yaml holds no Kubernetes object/);
    });

    it("refuses --json or --markdown pointing at a directory before printing any verdict", async () => {
        assertUsage(await check(hardened, "--stack", "staging", "--json", dir), /--json .* is a directory/);
        assertUsage(await check(hardened, "--stack", "staging", "--markdown", `${dir}/`), /--markdown needs a file name/);
    });

    it("refuses a plan whose resources is not an array or lacks secretPaths", async () => {
        const base = { schemaVersion: PLAN_SCHEMA_VERSION, kind: "trading-platform/plan", project: "trading-platform", stack: "staging" };
        const notArray = path.join(dir, "not-array.json");
        fs.writeFileSync(notArray, JSON.stringify({ ...base, resources: {} }));
        assertUsage(await check(notArray), /not-array\.json is not a valid plan: "resources" must be an array \(found a object\)/);
        const noSecretPaths = path.join(dir, "no-secret-paths.json");
        const resource = {
            urn: "urn:pulumi:staging::trading-platform::docker:index/container:Container::c",
            type: "docker:index/container:Container",
            name: "c",
            custom: true,
            inputs: {},
            unknownPaths: [],
            dependencies: [],
        };
        fs.writeFileSync(noSecretPaths, JSON.stringify({ ...base, resources: [resource] }));
        assertUsage(await check(noSecretPaths), /resources\[0\] has no secretPaths array/);
    });

    it("refuses a repeated flag instead of taking the last value", async () => {
        assertUsage(
            await check(hardened, "--stack", "production", "--stack", "staging"),
            /^--stack is given more than once; give it once\n/,
        );
    });

    it("prints one line and a hint on a usage error, and the usage on --help", async () => {
        const result = await runTool("policy", ["lint"]);
        assertUsage(result, /^Unknown command "lint"\nRun `npm run policy -- --help` for usage\.\n$/);
        const help = await runTool("policy", ["--help"]);
        assert.equal(help.code, 0);
        assert.match(help.stdout, /^Usage: npm run policy -- check FILE\.\.\./);
        assert.match(help.stdout, /helm template/);
    });

    it("refuses a lowercase kind as invalid rather than skipping it", async () => {
        const lower = path.join(dir, "lower.yaml");
        fs.writeFileSync(lower, "apiVersion: apps/v1\nkind: deployment\nmetadata: { name: api }\nspec: {}\n");
        assertUsage(await check(lower, "--stack", "staging"), /document 1 has kind "deployment", which is not a valid Kubernetes kind/);
    });

    it("refuses an alias bomb in a manifest in well under a second of parsing, naming the file and the document", async () => {
        const bomb = path.join(dir, "bomb.yaml");
        fs.writeFileSync(
            bomb,
            `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n${aliasBomb().replace(/^/gm, "    ")}`,
        );
        assertUsage(
            await check(bomb, "--stack", "staging"),
            /bomb\.yaml: document 1 expands to more than 1,000,000 characters once its aliases are resolved \(an alias bomb\?\)\n/,
        );
    });

    it("refuses a plan checked as another stack: a production plan is never judged by staging's config", async () => {
        const { document } = await committedPlan("production");
        const plan = path.join(dir, "production.json");
        fs.writeFileSync(plan, JSON.stringify(document));
        assertUsage(
            await check(plan, "--stack", "staging"),
            new RegExp(`^${plan} is a plan of stack "production", not "staging"; leave out --stack`),
        );
    });

    it("refuses --json and --markdown naming one file, and a report over a checked file", async () => {
        const out = path.join(dir, "report.out");
        assertUsage(
            await check(hardened, "--stack", "staging", "--json", out, "--markdown", out),
            /^--json and --markdown both name .*report\.out; give each report its own file\n/,
        );
        const copy = path.join(dir, "hardened.yaml");
        fs.copyFileSync(hardened, copy);
        assertUsage(await check(copy, "--stack", "staging", "--json", copy), /^--json .*hardened\.yaml would overwrite the checked file/);
        assert.equal(fs.readFileSync(copy, "utf8"), fs.readFileSync(hardened, "utf8"));
    });

    it("refuses a policy config naming a policy the pack lacks", async () => {
        const config = path.join(dir, "typo.json");
        fs.writeFileSync(config, JSON.stringify({ "no-plaintext-credential": "advisory" }));
        const result = await check(hardened, "--stack", "staging", "--policy-config", config);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /"no-plaintext-credential" is not a policy of pack trading-platform/);
    });
});

describe("policy check: what the pack judges", () => {
    const dir = tempDir();
    const urn = (type: string, name: string) => `urn:pulumi:staging::trading-platform::${type}::trading-staging/${name}`;

    /** Runs a check with a JSON and a markdown report; returns the exit, the printed text and the reports. */
    async function checkWithReports(...files: string[]) {
        const json = path.join(dir, `${path.basename(files[0])}.json`);
        const markdown = path.join(dir, `${path.basename(files[0])}.md`);
        const result = await check(...files, "--stack", "staging", "--json", json, "--markdown", markdown);
        const document = JSON.parse(fs.readFileSync(json, "utf8")) as PlanDocument;
        return { ...result, document, json, markdownText: fs.readFileSync(markdown, "utf8") };
    }

    it("judges workloads of kinds it has no typed validation for: List items, old API versions, a Rollout, a custom kind", async () => {
        const { code, document } = await checkWithReports("test/tools/fixtures/unmappedKinds.yaml");
        assert.equal(code, 1);
        const privileged = new Set(
            document.policyResults.violations.filter(v => v.policyName === "kubernetes-no-privilege-escalation").map(v => v.urn),
        );
        assert.deepEqual([...privileged].sort(), [
            urn("kubernetes:apps/v1beta2:Deployment", "old-apps"),
            urn("kubernetes:argoproj.io/v1alpha1:Rollout", "canary"),
            urn("kubernetes:core/v1:Pod", "listed"),
            urn("kubernetes:example.com/v1:Worker", "custom"),
            urn("kubernetes:extensions/v1beta1:Deployment", "old-extensions"),
        ]);
        const key = document.policyResults.violations.filter(v => v.policyName === "no-plaintext-credentials");
        assert.equal(key.length, 1);
        assert.equal(key[0].urn, urn("kubernetes:argoproj.io/v1alpha1:Rollout", "canary"));
        assert.match(
            key[0].detail,
            /Rollout "trading-staging\/canary": container "app" \(spec\.template\.spec\.containers\[0\]\) env AWS_ACCESS_KEY_ID holds a value shaped like an AWS access key id/,
        );
    });

    it("maps RBAC, NetworkPolicy and custom kinds to the engine's types, and catches host access, RBAC, exposure and the missing default deny", async () => {
        const { code, document } = await checkWithReports("test/tools/fixtures/hostAccessAndRbac.yaml");
        assert.equal(code, 1);
        assert.deepEqual(
            document.resources.map(r => r.type),
            [
                "kubernetes:argoproj.io/v1alpha1:Rollout",
                "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
                "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
                "kubernetes:core/v1:Service",
                "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            ],
        );
        const fired = new Set(document.policyResults.violations.map(v => v.policyName));
        for (const policy of [
            "kubernetes-host-namespaces",
            "kubernetes-host-path-volumes",
            "kubernetes-host-ports",
            "kubernetes-proc-mount-sysctls",
            "kubernetes-root-group",
            "kubernetes-probes",
            "kubernetes-zero-downtime-rollout",
            "kubernetes-service-account-token",
            "kubernetes-no-default-namespace",
            "kubernetes-rbac-bindings",
            "kubernetes-rbac-least-privilege",
            "kubernetes-exposed-services",
            "kubernetes-network-policy-coverage",
        ]) {
            assert.ok(fired.has(policy), `${policy} did not fire`);
        }
        const socket = document.policyResults.violations.find(v => v.policyName === "kubernetes-host-path-volumes")!;
        assert.match(socket.detail, /the container runtime's socket/);
    });

    it("finds a credential in any object's annotations and redacts it in the JSON, the markdown and the text", async () => {
        const { code, stdout, document, json, markdownText } = await checkWithReports("test/tools/fixtures/annotatedObjects.yaml");
        assert.equal(code, 1);
        const flagged = document.policyResults.violations
            .filter(v => v.policyName === "no-plaintext-credentials")
            .map(v => v.urn?.split("::").pop());
        assert.deepEqual(flagged, ["trading-staging/api", "trading-staging/api", "trading-staging/settings"]);
        assert.deepEqual(
            document.resources.map(r => r.redactedPaths),
            [
                ['metadata.annotations["example.com/upstream"]'],
                ['metadata.annotations["example.com/settings"]'],
                ['metadata.annotations["example.com/owner-token"]'],
            ],
        );
        for (const text of [fs.readFileSync(json, "utf8"), stdout, markdownText]) {
            assert.ok(!text.includes("Sentinel-Pw-7Q2x9K"), "a report carries the sentinel");
        }
    });

    it("shows each violation's severity beside its level in the JSON, the text and the markdown, the most severe first", async () => {
        const { stdout, document, markdownText } = await checkWithReports("test/tools/fixtures/credentialsEverywhere.yaml");
        const registered = new Map(policies.map(p => [p.name, p.severity]));
        assert.ok(document.policyResults.violations.length > 0);
        for (const v of document.policyResults.violations) assert.equal(v.severity, registered.get(v.policyName), v.policyName);
        const levels = [...stdout.matchAll(/^ {2}[a-z-]+ \[mandatory, severity (\w+)\]/gm)].map(m => m[1]);
        assert.ok(levels.length > 1, stdout);
        assert.deepEqual(
            levels,
            [...levels].sort((a, b) => severities.indexOf(a as Severity) - severities.indexOf(b as Severity)),
        );
        assert.match(markdownText, /\| Policy \| Level \| Severity \| Resource \| Message \|/);
        assert.match(markdownText, /\| `no-plaintext-credentials` \| mandatory \| critical \| /);
    });

    it("finds credentials and live endpoints wherever a value reaches a process, and redacts them in every report", async () => {
        const { code, stdout, document, json, markdownText } = await checkWithReports("test/tools/fixtures/credentialsEverywhere.yaml");
        assert.equal(code, 1);
        const details = (policy: string, name: string) =>
            document.policyResults.violations.filter(v => v.policyName === policy && v.urn?.endsWith(`/${name}`)).map(v => v.detail);
        const plaintext = details("no-plaintext-credentials", "api");
        for (const where of [
            /env UPSTREAM_KEY_B64 holds a value shaped like an AWS access key id \(base64-encoded\)/,
            /args\[0\] is named like a credential/,
            /command\[2\] holds a value shaped like a GitHub token/,
            /annotation example\.com\/awsSecretAccessKey is named like a credential/,
        ]) {
            assert.equal(plaintext.filter(d => where.test(d)).length, 1, `${where}: ${plaintext.join("\n")}`);
        }
        assert.equal(plaintext.length, 4, "the Vault annotation names a path, not a credential");
        assert.match(
            details("no-plaintext-credentials", "settings")[0],
            /ConfigMap "trading-staging\/settings": data key DB_PASSWORD is named like a credential .* Fix: move the credential into a Secret/,
        );
        assert.deepEqual(
            details("no-plaintext-credentials", "literal").map(
                d => /(stringData key password|data key \(base64-decoded\) aws)/.exec(d)?.[1],
            ),
            ["stringData key password", "data key (base64-decoded) aws"],
        );
        assert.match(
            details("kubernetes-trading-segregation", "api").join("\n"),
            /broker points at the live endpoint api\.alpaca\.markets/,
        );
        assert.match(
            details("kubernetes-trading-segregation", "settings").join("\n"),
            /ConfigMap "trading-staging\/settings" BROKER_ENDPOINT points at the live endpoint/,
        );

        const api = document.resources.find(r => r.urn === urn("kubernetes:apps/v1:Deployment", "api"))!;
        assert.deepEqual(api.redactedPaths, [
            'metadata.annotations["example.com/awsSecretAccessKey"]',
            "spec.template.spec.containers[0].args[0]",
            "spec.template.spec.containers[0].command[2]",
            "spec.template.spec.containers[0].env[0].value",
        ]);
        const container = (api.inputs as any).spec.template.spec.containers[0]; // eslint-disable-line @typescript-eslint/no-explicit-any
        assert.deepEqual(container.args, ["--api-key=[redacted credential]", "--broker", "api.alpaca.markets"]);
        for (const text of [fs.readFileSync(json, "utf8"), stdout, markdownText]) {
            for (const value of ["hunter2", "AKIAZ7QH4LMN2RXWT5UV", "QUtJQVo3UUg0TE1OMlJYV1Q1VVY", "q3Vt8NbX2LkP9sRw", "ghp_Xk3mP9"]) {
                assert.ok(!text.includes(value), `a report carries ${value}`);
            }
        }

        // The published plan, checked again, still fails where it failed: a redacted credential is one.
        const again = await check(json);
        assert.equal(again.code, 1, again.stderr);
        assert.equal((again.stdout.match(/no-plaintext-credentials \[mandatory, severity critical\] — (\d+)/) ?? [])[1], "7");
    });
});
