import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { UsageError } from "../../../tools/cli/errors";
import { describeChanges, failureLine, liveStackDriver } from "../../../tools/promote/liveDriver";
import { StackDriver } from "../../../tools/promote/types";
import { createFakePulumi, FakePulumi } from "../../support/fakePulumi";

// The live driver against a stand-in `pulumi`: the exact commands the Automation API sends (docs/runbook.md
// quotes them), and what the driver makes of the answers.
const repoRoot = path.resolve(__dirname, "..", "..", "..");
const policyPackDir = path.join(repoRoot, "policy");
const advanceConfig = path.join(policyPackDir, "config", "production-promote.json");
const rollbackConfig = path.join(policyPackDir, "config", "production-rollback.json");
const S = ["--stack", "production", "--non-interactive"];
const SELECT = ["stack", "select", ...S];
const OUTPUTS = [
    ["stack", "output", "--json", ...S],
    ["stack", "output", "--json", "--show-secrets", ...S],
];
const HISTORY = ["stack", "history", "--json", "--page-size", "1", "--page", "1", ...S];
const DEPLOYMENTS = "trading-platform:deployments.services";

const resources = { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } };
/** A deployments section as the stack config holds it: two blue-green services and a rolling one. */
const deployments = {
    ingress: { certificateArn: "arn:aws:acm:ap-south-1:444455556666:certificate/7a9c1e3b-2d4f-4a6b-8c0e-1f3a5b7d9e2c", groupName: "trading-prod" },
    services: {
        api: { strategy: "blueGreen", replicas: 5, minReady: 3, resources, ingress: { host: "api.example.com", scheme: "internet-facing" }, blueGreen: { activeColour: "blue", images: {}, weight: 25 } },
        "fix-gateway": { strategy: "blueGreen", replicas: 3, minReady: 2, resources, protocol: "fix", nlb: { port: 9878 }, blueGreen: { activeColour: "green", images: {}, weight: 100, finalize: true } },
        worker: { strategy: "rolling", replicas: 4, minReady: 2, resources, image: "ghcr.io/synaptic-platform/synaptictrading/worker@sha256:d3465f56446818ab4af9f487b92f29528db146aca628a4eda66965272cf3e583" },
    },
};
const deployedOutputs = {
    kubernetesNamespace: "trading-prod",
    clusterName: "trading-prod",
    promotionState: {
        api: { activeColour: "blue", weight: 5, finalize: false, protocol: "http" },
        websocket: { activeColour: "green", weight: 50, finalize: false, protocol: "http" },
        "fix-gateway": { activeColour: "green", weight: 0, finalize: false, protocol: "fix" },
    },
};

describe("tools/promote/liveDriver: pulumi up through the Automation API (a stand-in CLI)", () => {
    let tmp: string;
    let workDir: string;
    let fake: FakePulumi;
    let pulumiCommand: PulumiCommand;
    let printed: string[];

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "live-driver-"));
        fake = createFakePulumi(path.join(tmp, "pulumi"));
        // A copy of the project, so nothing the CLI does can touch the repository's stack files.
        workDir = path.join(tmp, "repo");
        fs.mkdirSync(workDir);
        for (const file of ["Pulumi.yaml", "Pulumi.production.yaml"]) fs.copyFileSync(path.join(repoRoot, file), path.join(workDir, file));
        pulumiCommand = await PulumiCommand.get({ root: fake.root, skipVersionCheck: true });
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    beforeEach(() => {
        fake.reset();
        printed = [];
    });

    const driver = (stack = "production"): Promise<StackDriver> =>
        liveStackDriver({ workDir, stack, policyPackDir, advanceConfig, rollbackConfig, pulumiCommand, onOutput: line => printed.push(line), envVars: { ...fake.env, PULUMI_CONFIG_PASSPHRASE: "not-on-the-command-line" } });
    const argvs = () => fake.calls().map(c => c.argv);

    it("the stand-in is what PulumiCommand runs", () => {
        assert.strictEqual(pulumiCommand.command, path.join(fake.root, "bin", "pulumi"));
        assert.strictEqual(pulumiCommand.version?.toString(), "3.248.0");
    });

    it("reads positions and namespace from the outputs promotionState and kubernetesNamespace", async () => {
        fake.setOutputs(deployedOutputs);
        const d = await driver();
        const state = await d.read([]);
        assert.deepStrictEqual(state, {
            namespace: "trading-prod",
            services: [
                { service: "api", activeColour: "blue", weight: 5, finalize: false, protocol: "http" },
                { service: "websocket", activeColour: "green", weight: 50, finalize: false, protocol: "http" },
                { service: "fix-gateway", activeColour: "green", weight: 0, finalize: false, protocol: "fix" },
            ],
        });
        assert.deepStrictEqual(argvs(), [SELECT, ...OUTPUTS]);
        const calls = fake.calls();
        assert.ok(calls.every(c => fs.realpathSync(c.cwd) === fs.realpathSync(workDir)), "every command runs in the work dir");
        assert.deepStrictEqual(calls[0].env, { PULUMI_AUTOMATION_API: "true", PULUMI_SKIP_UPDATE_CHECK: "true" });
        assert.deepStrictEqual(calls[1].env, { PULUMI_AUTOMATION_API: "true", PULUMI_SKIP_UPDATE_CHECK: "true" });
        assert.ok(calls.every(c => c.pulumiVars.includes("PULUMI_CONFIG_PASSPHRASE")), "envVars reach every command");

        const some = await d.read(["fix-gateway"]);
        assert.deepStrictEqual(some.services.map(s => s.service), ["fix-gateway"]);
    });

    it("reads the output of a stack last updated before step was renamed weight, saying so in one line", async () => {
        const old = Object.fromEntries(Object.entries(deployedOutputs.promotionState).map(([service, { weight, ...rest }]) => [service, { ...rest, step: weight }]));
        fake.setOutputs({ ...deployedOutputs, promotionState: old });
        const state = await (await driver()).read([]);
        assert.deepStrictEqual(state.services, [
            { service: "api", activeColour: "blue", weight: 5, finalize: false, protocol: "http" },
            { service: "websocket", activeColour: "green", weight: 50, finalize: false, protocol: "http" },
            { service: "fix-gateway", activeColour: "green", weight: 0, finalize: false, protocol: "fix" },
        ]);
        assert.deepStrictEqual(printed, [
            "production's promotionState output was written by a program from before the rename of step to weight: reading step as the weight of api, websocket, fix-gateway",
        ]);
        fake.setOutputs(deployedOutputs);
        printed.length = 0;
        await (await driver()).read([]);
        assert.deepStrictEqual(printed, [], "the current output reads silently");
    });

    it("a promotionState output of another shape is an error naming the position's fields", async () => {
        fake.setOutputs({ ...deployedOutputs, promotionState: { api: { activeColour: "blue", weight: "5", finalize: false, protocol: "http" } } });
        await assert.rejects((await driver()).read([]), (e: Error) => {
            assert.match(e.message, /^production: the output promotionState should map each blue-green service to \{ activeColour, weight, finalize, protocol \}; found \{"api":/);
            return true;
        });
    });

    it("falls back to the stack config when the stack has no promotionState output yet", async () => {
        fake.setOutputs({ clusterName: "trading-prod" });
        fake.setConfig({ "trading-platform:deployments": deployments, "trading-platform:eks": { region: "ap-south-1", namespace: "trading-prod" } });
        const state = await (await driver()).read([]);
        assert.deepStrictEqual(state, {
            namespace: "trading-prod",
            services: [
                { service: "api", activeColour: "blue", weight: 25, finalize: false, protocol: "http" },
                { service: "fix-gateway", activeColour: "green", weight: 100, finalize: true, protocol: "fix" },
            ],
        });
        assert.deepStrictEqual(argvs(), [
            SELECT,
            ...OUTPUTS,
            ["config", "get", "trading-platform:deployments", "--json", ...S],
            ["config", "get", "trading-platform:eks", "--json", ...S],
        ]);
        assert.ok(printed.some(l => l.includes("no promotionState output")), printed.join("\n"));
    });

    it("a config key the stack lacks is an error with the CLI's line, never the command line", async () => {
        fake.setOutputs({});
        await assert.rejects((await driver()).read([]), (e: Error) => {
            assert.strictEqual(e.message, "production: reading config trading-platform:deployments failed: error: configuration key 'trading-platform:deployments' not found for stack 'production'");
            return true;
        });
    });

    it("a service that is not blue-green is a usage error naming the blue-green ones", async () => {
        fake.setOutputs(deployedOutputs);
        const d = await driver();
        await assert.rejects(d.read(["api", "worker"]), (e: Error) => {
            assert.ok(e instanceof UsageError, String(e));
            assert.strictEqual(e.message, "--services: worker is not a blue-green service of production (blue-green there: api, websocket, fix-gateway)");
            return true;
        });
        await assert.rejects(d.read(["worker", "payments"]), /worker, payments are not a blue-green service/);
    });

    it("an advance is one config set-all with --path and typed values, then one up under the advance policy config", async () => {
        fake.setUp({ resourceChanges: { same: 118, update: 3 } });
        const d = await driver();
        const result = await d.apply(
            [
                { service: "api", weight: 25, finalize: false },
                { service: "fix-gateway", weight: 100, finalize: true },
            ],
            "advance",
            "promote api to 25 %, fix-gateway cut over",
        );
        assert.deepStrictEqual(result, { ok: true, summary: "production update #1 succeeded: 3 updated, 118 unchanged" });
        assert.deepStrictEqual(argvs(), [
            SELECT,
            [
                "config", "set-all", "--stack", "production", "--path",
                "--plaintext", `${DEPLOYMENTS}.api.blueGreen.weight=25`,
                "--plaintext", `${DEPLOYMENTS}.api.blueGreen.finalize=false`,
                "--plaintext", `${DEPLOYMENTS}.fix-gateway.blueGreen.weight=100`,
                "--plaintext", `${DEPLOYMENTS}.fix-gateway.blueGreen.finalize=true`,
                "--non-interactive",
            ],
            ["up", "--yes", "--skip-preview", "--message", "promote api to 25 %, fix-gateway cut over", "--policy-pack", policyPackDir, "--policy-pack-config", advanceConfig, "--exec-kind", "auto.local", ...S],
            ...OUTPUTS,
            HISTORY,
        ]);
        const up = fake.calls()[2];
        assert.deepStrictEqual(up.env, { PULUMI_AUTOMATION_API: "true", PULUMI_DEBUG_COMMANDS: "true", PULUMI_SKIP_UPDATE_CHECK: "true" });
        assert.ok(!fake.calls().some(c => c.argv.some(arg => arg.includes("not-on-the-command-line"))), "no secret on any command line");
        assert.deepStrictEqual(printed, ["Updating (production):", "", "Resources:", "    118 same", "    3 update", "", "Duration: 1s"]);

        // A finalize advances under the same config.
        fake.reset();
        await d.apply([{ service: "api", weight: 100, finalize: true }], "finalize", "finalize api");
        assert.deepStrictEqual(argvs()[1].slice(0, 5), ["up", "--yes", "--skip-preview", "--message", "finalize api"]);
        assert.strictEqual(argvs()[1][8], advanceConfig);
    });

    it("a rollback runs under the rollback policy config", async () => {
        const d = await driver();
        const result = await d.apply([{ service: "api", weight: 0, finalize: false }], "rollback", "roll back api: error rate 7.2 % > 5 %");
        assert.strictEqual(result.ok, true);
        assert.deepStrictEqual(argvs().slice(1, 3), [
            ["config", "set-all", "--stack", "production", "--path", "--plaintext", `${DEPLOYMENTS}.api.blueGreen.weight=0`, "--plaintext", `${DEPLOYMENTS}.api.blueGreen.finalize=false`, "--non-interactive"],
            ["up", "--yes", "--skip-preview", "--message", "roll back api: error rate 7.2 % > 5 %", "--policy-pack", policyPackDir, "--policy-pack-config", rollbackConfig, "--exec-kind", "auto.local", ...S],
        ]);
    });

    it("a failed up is ok: false with the policy violation's line, and nothing after the up", async () => {
        fake.setUp({
            fail: {
                stdout: "Updating (production):\n\nResources:\n    120 unchanged\n",
                stderr:
                    "Policy Violations:\n" +
                    "    \u001b[31m[mandatory]  trading-platform v0.1.0 \u001b[0m production-deployment-window (pulumi:pulumi:Stack: trading-platform-production)\n" +
                    "    production updates run Mon-Thu 09:00-15:00 America/New_York; it is Friday 16:10\n" +
                    "    set an emergencyOverride to update outside the window\n" +
                    "error: update failed\n",
            },
        });
        const result = await (await driver()).apply([{ service: "api", weight: 25, finalize: false }], "advance", "promote api to 25 %");
        assert.deepStrictEqual(result, {
            ok: false,
            summary:
                "pulumi up failed: policy violation [mandatory] trading-platform v0.1.0 production-deployment-window (pulumi:pulumi:Stack: trading-platform-production): production updates run Mon-Thu 09:00-15:00 America/New_York; it is Friday 16:10",
        });
        assert.deepStrictEqual(argvs().map(a => a.slice(0, 2)), [["stack", "select"], ["config", "set-all"], ["up", "--yes"]]);
        assert.ok(printed.includes("error: update failed"), "stderr reaches onOutput");
    });

    it("a failed up without a violation reports the first stderr line that says more than 'update failed'", async () => {
        fake.setUp({ fail: { stderr: "\nerror: update failed\nerror: [409] Conflict: Another update is currently in progress.\nmore detail\n" } });
        const result = await (await driver()).apply([{ service: "api", weight: 25, finalize: false }], "advance", "promote api");
        assert.deepStrictEqual(result, { ok: false, summary: "pulumi up failed: error: [409] Conflict: Another update is currently in progress." });
    });

    it("a stack the backend does not have is a usage error", async () => {
        await assert.rejects(driver("prodution"), (e: Error) => e instanceof UsageError && /--stack prodution: the backend has no stack named prodution/.test(e.message));
        assert.deepStrictEqual(argvs(), [["stack", "select", "--stack", "prodution", "--non-interactive"]]);
    });

    it("summaries: the changes in the CLI's order, a violation found in stdout too", () => {
        assert.strictEqual(describeChanges({ same: 3, delete: 1, create: 2, "create-replacement": 1 }), "2 created, 1 deleted, 3 unchanged, 1 create-replacement");
        assert.strictEqual(describeChanges({}), "");
        assert.strictEqual(
            failureLine({ stdout: "Policy Violations:\n    [mandatory]  trading-platform v0.1.0  data-backups-retained (aws:rds/instance:Instance: pg)\n    backups kept 7 days; at least 30\n", stderr: "" }),
            "policy violation [mandatory] trading-platform v0.1.0 data-backups-retained (aws:rds/instance:Instance: pg): backups kept 7 days; at least 30",
        );
        assert.strictEqual(failureLine({ stdout: "", stderr: "" }), "the CLI printed nothing on stderr");
    });
});
