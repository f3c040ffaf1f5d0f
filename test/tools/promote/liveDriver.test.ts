import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { parse as parseYaml, parseDocument } from "yaml";
import { UsageError } from "../../../tools/cli/errors";
import {
    cliErrorLine,
    describeChanges,
    failureFromEvents,
    liveStackDriver,
    shortUrn,
    smokeFromEvents,
} from "../../../tools/promote/liveDriver";
import { positionPlanner } from "../../../tools/promote/positionPlans";
import { StackDriver } from "../../../tools/promote/types";
import { readProject, readStackConfig } from "../../../tools/runtime/stackFiles";
import {
    FakeAnswer,
    FakeEngineEvent,
    FakePulumi,
    FakePulumiCall,
    flagOf,
    flagsOf,
    historyEntry,
    startFakePulumi,
} from "../../support/fakePulumi";

// The live driver against a stand-in `pulumi` that answers as the real CLI does, its engine events
// delivered over the Automation API's gRPC event stream: the exact commands the SDK sends (docs/runbook.md
// quotes them), and what the driver makes of the answers and the events.
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
const URN = (type: string, name: string) =>
    `urn:pulumi:production::trading-platform::trading-platform:k8s:BlueGreenService$${type}::${name}`;

const resources = { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } };
/** A deployments section as the stack config holds it: two blue-green services and a rolling one. */
const deployments = {
    ingress: {
        certificateArn: "arn:aws:acm:ap-south-1:444455556666:certificate/7a9c1e3b-2d4f-4a6b-8c0e-1f3a5b7d9e2c",
        groupName: "trading-prod",
    },
    services: {
        api: {
            strategy: "blueGreen",
            replicas: 5,
            minReady: 3,
            resources,
            ingress: { host: "api.example.com", scheme: "internet-facing" },
            blueGreen: { activeColour: "blue", images: {}, weight: 25 },
        },
        "fix-gateway": {
            strategy: "blueGreen",
            replicas: 3,
            minReady: 2,
            resources,
            protocol: "fix",
            nlb: { port: 9878 },
            blueGreen: { activeColour: "green", images: {}, weight: 100, finalize: true },
        },
        worker: {
            strategy: "rolling",
            replicas: 4,
            minReady: 2,
            resources,
            image: "ghcr.io/synaptic-platform/synaptictrading/worker@sha256:d3465f56446818ab4af9f487b92f29528db146aca628a4eda66965272cf3e583",
        },
    },
};
const position = (weight: number, activeColour = "blue", protocol = "http", finalize = false) => ({
    activeColour,
    weight,
    finalize,
    protocol,
});
const deployedOutputs = (api = 5, websocket = 0) => ({
    kubernetesNamespace: "trading-prod",
    clusterName: "trading-prod",
    promotionState: { api: position(api), websocket: position(websocket), "fix-gateway": position(0, "green", "fix") },
});

/** The engine's events of a successful targeted update, as the CLI streams them. */
function updateEvents(targets: string[], changes: Record<string, number>, extra: FakeEngineEvent[] = []): FakeEngineEvent[] {
    return [
        { preludeEvent: { config: {} } },
        ...targets.map(urn => ({
            resourcePreEvent: {
                metadata: { op: "update", urn, type: urn.split("::")[2].replace(/^.*\$/, ""), provider: "", detailedDiff: null },
            },
        })),
        ...extra,
        ...targets.map(urn => ({
            resOutputsEvent: {
                metadata: { op: "update", urn, type: urn.split("::")[2].replace(/^.*\$/, ""), provider: "", detailedDiff: null },
            },
        })),
        {
            summaryEvent: {
                maybeCorrupt: false,
                durationSeconds: 3,
                resourceChanges: changes,
                PolicyPacks: { "trading-platform": "v0.1.0" },
            },
        },
        { cancelEvent: {} },
    ];
}

/** What the stand-in answers: a stack held in the test, its `up` scripted. */
class ScriptedStack {
    outputs: Record<string, unknown> = deployedOutputs();
    config: Record<string, unknown> = {};
    history: unknown[] = [];
    /** The next up's answer; its outputs (on success) become the stack's. */
    up: (call: FakePulumiCall) => FakeAnswer & { outputs?: Record<string, unknown> } = () => ({ events: updateEvents([], { same: 1 }) });

    handle = (call: FakePulumiCall): FakeAnswer => {
        const [a, b] = call.argv;
        const stack = flagOf(call.argv, "--stack");
        if (a === "stack" && b === "select") {
            return stack === "production" ? {} : { stderr: `error: no stack named '${stack}' found\n`, code: 255 };
        }
        if (a === "stack" && b === "output") return { stdout: `${JSON.stringify(this.outputs, null, 2)}\n` };
        if (a === "stack" && b === "history") return { stdout: `${JSON.stringify(this.history)}\n` };
        if (a === "config" && b === "get") {
            const key = call.argv[2];
            if (!(key in this.config)) return { stderr: `error: configuration key '${key}' not found for stack '${stack}'\n`, code: 255 };
            const value = this.config[key];
            return {
                stdout: JSON.stringify({
                    value: typeof value === "string" ? value : JSON.stringify(value),
                    objectValue: value,
                    secret: false,
                }),
            };
        }
        if (a === "config" && b === "set-all") {
            // As the real CLI does: the stack file now says what the update is about to deploy.
            const file = path.join(call.cwd, "Pulumi.production.yaml");
            const document = parseDocument(fs.readFileSync(file, "utf8"));
            for (const pair of flagsOf(call.argv, "--plaintext")) {
                const [key, value] = pair.split("=");
                const [section, ...rest] = key.split(".");
                document.setIn(["config", section, ...rest], value === "true" ? true : value === "false" ? false : Number(value));
            }
            fs.writeFileSync(file, document.toString());
            return {};
        }
        if (a === "up") {
            const answer = this.up(call);
            if (!answer.code) {
                if (answer.outputs) this.outputs = answer.outputs;
                this.history.unshift(historyEntry(this.history.length + 1, flagOf(call.argv, "--message") ?? "", { update: 1 }));
            }
            return answer;
        }
        return { stderr: `fake pulumi: unexpected command ${JSON.stringify(call.argv)}\n`, code: 2 };
    };
}

describe("tools/promote/liveDriver: targeted pulumi up through the Automation API (a stand-in CLI, its events over gRPC)", () => {
    let tmp: string;
    let workDir: string;
    let fake: FakePulumi;
    let scripted: ScriptedStack;
    let pulumiCommand: PulumiCommand;
    let printed: string[];
    const project = readProject(repoRoot);
    const planner = positionPlanner({
        stack: "production",
        project: project.name,
        config: readStackConfig(project, "production"),
        policyConfigFile: rollbackConfig,
    });

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "live-driver-"));
        fake = await startFakePulumi(path.join(tmp, "pulumi"));
        pulumiCommand = await PulumiCommand.get({ root: fake.root, skipVersionCheck: true });
    });
    after(async () => {
        await fake.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    });
    beforeEach(() => {
        // A copy of the project, so nothing the CLI does can touch the repository's stack files.
        workDir = fs.mkdtempSync(path.join(tmp, "repo-"));
        for (const file of ["Pulumi.yaml", "Pulumi.production.yaml"]) fs.copyFileSync(path.join(repoRoot, file), path.join(workDir, file));
        scripted = new ScriptedStack();
        fake.handle(scripted.handle);
        fake.reset();
        printed = [];
    });

    const driver = (stack = "production"): Promise<StackDriver> =>
        liveStackDriver({
            workDir,
            stack,
            policyPackDir,
            advanceConfig,
            rollbackConfig,
            planner,
            pulumiCommand,
            onOutput: line => printed.push(line),
            envVars: { PULUMI_CONFIG_PASSPHRASE: "not-on-the-command-line" },
        });
    const argvs = () => fake.calls().map(c => c.argv);
    const filePositions = () =>
        (
            parseYaml(fs.readFileSync(path.join(workDir, "Pulumi.production.yaml"), "utf8")) as {
                config: Record<string, { services: Record<string, { blueGreen: { weight: number } }> }>;
            }
        ).config["trading-platform:deployments"].services;

    it("the stand-in is what PulumiCommand runs", () => {
        assert.strictEqual(pulumiCommand.command, path.join(fake.root, "bin", "pulumi"));
        assert.strictEqual(pulumiCommand.version?.toString(), "3.248.0");
    });

    it("reads positions and namespace from the outputs promotionState and kubernetesNamespace", async () => {
        const d = await driver();
        const state = await d.read([]);
        assert.deepStrictEqual(state, {
            namespace: "trading-prod",
            services: [
                { service: "api", activeColour: "blue", weight: 5, finalize: false, protocol: "http" },
                { service: "websocket", activeColour: "blue", weight: 0, finalize: false, protocol: "http" },
                { service: "fix-gateway", activeColour: "green", weight: 0, finalize: false, protocol: "fix" },
            ],
        });
        assert.deepStrictEqual(argvs(), [SELECT, ...OUTPUTS]);
        const calls = fake.calls();
        assert.ok(
            calls.every(c => fs.realpathSync(c.cwd) === fs.realpathSync(workDir)),
            "every command runs in the work dir",
        );
        assert.deepStrictEqual(calls[0].env, { PULUMI_AUTOMATION_API: "true", PULUMI_SKIP_UPDATE_CHECK: "true" });
        assert.ok(
            calls.every(c => c.pulumiVars.includes("PULUMI_CONFIG_PASSPHRASE")),
            "envVars reach every command",
        );
        assert.deepStrictEqual(
            (await d.read(["fix-gateway"])).services.map(s => s.service),
            ["fix-gateway"],
        );
    });

    it("from the first read, the stack file says what the stack reports, whatever the run does next", async () => {
        scripted.outputs = deployedOutputs(25, 5);
        await (await driver()).read([]);
        assert.deepStrictEqual([filePositions().api.blueGreen.weight, filePositions().websocket.blueGreen.weight], [25, 5]);
        const committed = fs.readFileSync(path.join(repoRoot, "Pulumi.production.yaml"), "utf8").split("\n");
        const written = fs.readFileSync(path.join(workDir, "Pulumi.production.yaml"), "utf8").split("\n");
        assert.deepStrictEqual(
            written.flatMap((l, i) => (l === committed[i] ? [] : [`${committed[i]} -> ${l}`])),
            ["          weight: 5 ->           weight: 25", "          weight: 0 ->           weight: 5"],
            "only the position keys change",
        );
    });

    it("reads the output of a stack last updated before step was renamed weight, saying so in one line", async () => {
        const current = deployedOutputs().promotionState;
        scripted.outputs = {
            ...deployedOutputs(),
            promotionState: Object.fromEntries(
                Object.entries(current).map(([service, { weight, ...rest }]) => [service, { ...rest, step: weight }]),
            ),
        };
        const state = await (await driver()).read([]);
        assert.deepStrictEqual(
            state.services.map(s => s.weight),
            [5, 0, 0],
        );
        assert.deepStrictEqual(printed, [
            "production's promotionState output was written by a program from before the rename of step to weight: reading step as the weight of api, websocket, fix-gateway",
        ]);
    });

    it("a promotionState output of another shape is an error naming the position's fields", async () => {
        scripted.outputs = {
            ...deployedOutputs(),
            promotionState: { api: { activeColour: "blue", weight: "5", finalize: false, protocol: "http" } },
        };
        await assert.rejects(
            (await driver()).read([]),
            /^Error: production: the output promotionState should map each blue-green service to \{ activeColour, weight, finalize, protocol \}; found \{"api":/,
        );
    });

    it("falls back to the stack config when the stack has no promotionState output yet", async () => {
        scripted.outputs = { clusterName: "trading-prod" };
        scripted.config = {
            "trading-platform:deployments": deployments,
            "trading-platform:eks": { region: "ap-south-1", namespace: "trading-prod" },
        };
        const state = await (await driver()).read([]);
        assert.deepStrictEqual(
            state.services.map(s => [s.service, s.weight, s.finalize]),
            [
                ["api", 25, false],
                ["fix-gateway", 100, true],
            ],
        );
        assert.deepStrictEqual(argvs().slice(-2), [
            ["config", "get", "trading-platform:deployments", "--json", ...S],
            ["config", "get", "trading-platform:eks", "--json", ...S],
        ]);
        assert.ok(
            printed.some(l => l.includes("no promotionState output")),
            printed.join("\n"),
        );
    });

    it("a config key the stack lacks is an error with the CLI's line, never the command line", async () => {
        scripted.outputs = {};
        await assert.rejects((await driver()).read([]), (e: Error) => {
            assert.strictEqual(
                e.message,
                "production: reading config trading-platform:deployments failed: error: configuration key 'trading-platform:deployments' not found for stack 'production'",
            );
            return true;
        });
    });

    it("a service that is not blue-green is a usage error naming the blue-green ones", async () => {
        const d = await driver();
        await assert.rejects(
            d.read(["api", "worker"]),
            (e: Error) =>
                e instanceof UsageError &&
                e.message ===
                    "--services: worker is not a blue-green service of production (blue-green there: api, websocket, fix-gateway)",
        );
    });

    it("an advance is one config set-all, then one up limited to what changes, under the advance policy config; the stack file then says what the output says", async () => {
        scripted.up = call => ({
            events: updateEvents(flagsOf(call.argv, "--target"), { update: 3, same: 154 }),
            stdout: "Updating (production):\n\nResources:\n    3 updated\n    154 unchanged\n\nDuration: 3s\n",
            outputs: deployedOutputs(25, 0),
        });
        const d = await driver();
        await d.read([]);
        fake.reset();
        const result = await d.apply([{ service: "api", weight: 25, finalize: false }], "advance", "promote api to 25 %");
        const targets = [
            URN("kubernetes:apps/v1:Deployment", "api-blue"),
            URN("kubernetes:apps/v1:Deployment", "api-green"),
            URN("kubernetes:networking.k8s.io/v1:Ingress", "api"),
        ];
        assert.strictEqual(result.ok, true, result.summary);
        assert.deepStrictEqual(result.targets, targets);
        assert.strictEqual(result.summary, "production update #1 succeeded (3 targets): 1 updated");
        const up = argvs()[1];
        assert.deepStrictEqual(argvs()[0], [
            "config",
            "set-all",
            "--stack",
            "production",
            "--path",
            "--plaintext",
            `${DEPLOYMENTS}.api.blueGreen.weight=25`,
            "--plaintext",
            `${DEPLOYMENTS}.api.blueGreen.finalize=false`,
            "--non-interactive",
        ]);
        assert.deepStrictEqual(up.slice(0, 5), ["up", "--yes", "--skip-preview", "--message", "promote api to 25 %"]);
        assert.deepStrictEqual(flagsOf(up, "--target"), targets);
        assert.deepStrictEqual([flagOf(up, "--policy-pack"), flagOf(up, "--policy-pack-config")], [policyPackDir, advanceConfig]);
        assert.match(flagOf(up, "--event-log") ?? "", /^tcp:\/\/127\.0\.0\.1:\d+$/, "the SDK of CLI 3.248 streams events over gRPC");
        assert.deepStrictEqual(argvs().slice(2), [...OUTPUTS, HISTORY]);
        assert.deepStrictEqual(fake.calls()[1].env, {
            PULUMI_AUTOMATION_API: "true",
            PULUMI_DEBUG_COMMANDS: "true",
            PULUMI_SKIP_UPDATE_CHECK: "true",
        });
        assert.ok(!fake.calls().some(c => c.argv.some(arg => arg.includes("not-on-the-command-line"))), "no secret on any command line");
        assert.ok(printed.includes("    3 updated"), "the CLI's output reaches onOutput");
        assert.deepStrictEqual([filePositions().api.blueGreen.weight, filePositions().websocket.blueGreen.weight], [25, 0]);
    });

    it("a failed up is ok: false with the policy violation from the engine's events, and the stack file keeps what is deployed", async () => {
        scripted.up = () => ({
            code: 255,
            stderr: "error: update failed\n",
            events: [
                { preludeEvent: { config: {} } },
                {
                    policyEvent: {
                        resourceUrn: "urn:pulumi:production::trading-platform::pulumi:pulumi:Stack::trading-platform-production",
                        message: "Production updates run inside the deployment window.\nMon is not a deployment day (Tue, Wed, Thu)\n",
                        color: "never",
                        policyName: "production-deployment-window",
                        policyPackName: "trading-platform",
                        policyPackVersion: "0.1.0",
                        policyPackVersionTag: "0.1.0",
                        enforcementLevel: "mandatory",
                    },
                },
                { diagnosticEvent: { message: "update failed\n", color: "never", severity: "error", prefix: "error: " } },
                { cancelEvent: {} },
            ],
        });
        const d = await driver();
        await d.read([]);
        const result = await d.apply([{ service: "api", weight: 25, finalize: false }], "advance", "promote api to 25 %");
        assert.deepStrictEqual(
            result.summary,
            "pulumi up failed: policy violation: production-deployment-window [mandatory] (trading-platform 0.1.0) on pulumi:pulumi:Stack::trading-platform-production: Production updates run inside the deployment window. Mon is not a deployment day (Tue, Wed, Thu)",
        );
        assert.strictEqual(result.ok, false);
        assert.strictEqual(result.refusedBy, "production-deployment-window");
        // config set-all wrote 25 before the up; the up failed, so the file says 5 again.
        assert.strictEqual(filePositions().api.blueGreen.weight, 5);
    });

    it("a resource that fails is named with its diagnostics, and a failed smoke Job is the smoke test's result", async () => {
        const job = URN("kubernetes:batch/v1:Job", "websocket-smoke");
        scripted.up = () => ({
            code: 255,
            events: [
                {
                    resourcePreEvent: {
                        metadata: {
                            op: "create",
                            urn: job,
                            type: "kubernetes:batch/v1:Job",
                            provider: "",
                            new: { inputs: { metadata: { name: "websocket-green-smoke-1e7a3c805b" } } },
                        },
                    },
                },
                {
                    diagnosticEvent: {
                        urn: job,
                        message:
                            'resource websocket-green-smoke-1e7a3c805b was not successfully created by the Kubernetes API server: Job "websocket-green-smoke-1e7a3c805b" failed: BackoffLimitExceeded',
                        color: "never",
                        severity: "error",
                        prefix: "error: ",
                    },
                },
                {
                    resOpFailedEvent: {
                        metadata: { op: "create", urn: job, type: "kubernetes:batch/v1:Job", provider: "" },
                        status: 1,
                        steps: 1,
                    },
                },
                { cancelEvent: {} },
            ],
        });
        const d = await driver();
        await d.read([]);
        const result = await d.apply([{ service: "websocket", weight: 0, finalize: false }], "stage", "stage websocket");
        assert.ok(result.targets.includes(job), "a stage targets the service's smoke Job");
        assert.match(
            result.summary,
            /^pulumi up failed: kubernetes:batch\/v1:Job::websocket-smoke: resource websocket-green-smoke-1e7a3c805b was not successfully created .*BackoffLimitExceeded$/,
        );
        assert.deepStrictEqual(result.smoke, [
            {
                service: "websocket",
                job: "websocket-green-smoke-1e7a3c805b",
                result: "failed",
                detail: result.summary.replace(/^pulumi up failed: kubernetes:batch\/v1:Job::websocket-smoke: /, ""),
            },
        ]);
    });

    it("a rollback after a failed advance targets what either position changed, under the rollback policy config", async () => {
        let attempt = 0;
        scripted.up = () =>
            attempt++ === 0
                ? { code: 255, stderr: "error: [409] Conflict: Another update is currently in progress.\n" }
                : { events: updateEvents([], { update: 4 }), outputs: deployedOutputs(0, 0) };
        const d = await driver();
        await d.read([]);
        const failed = await d.apply([{ service: "websocket", weight: 5, finalize: false }], "advance", "promote websocket to 5 %");
        assert.strictEqual(
            failed.summary,
            "pulumi up failed: error: [409] Conflict: Another update is currently in progress.",
            "no event: the CLI's own error line",
        );
        fake.reset();
        const rollback = await d.apply(
            [
                { service: "api", weight: 0, finalize: false },
                { service: "websocket", weight: 0, finalize: false },
            ],
            "rollback",
            "roll back",
        );
        assert.strictEqual(rollback.ok, true, rollback.summary);
        const up = argvs()[1];
        assert.strictEqual(flagOf(up, "--policy-pack-config"), rollbackConfig);
        const short = flagsOf(up, "--target").map(shortUrn);
        assert.ok(
            short.includes("kubernetes:policy/v1:PodDisruptionBudget::websocket-green"),
            "what the failed 5 % update may have changed is put back too",
        );
        assert.ok(short.includes("kubernetes:networking.k8s.io/v1:Ingress::api"));
        assert.ok(
            short.every(t => t.startsWith("kubernetes:")),
            short.join("\n"),
        );
        assert.deepStrictEqual([filePositions().api.blueGreen.weight, filePositions().websocket.blueGreen.weight], [0, 0]);
    });

    it("an update that changes nothing runs no command", async () => {
        const d = await driver();
        await d.read([]);
        fake.reset();
        const result = await d.apply([{ service: "api", weight: 5, finalize: false }], "advance", "api stays at 5 %");
        assert.deepStrictEqual([result.ok, result.targets, argvs()], [true, [], []]);
    });

    it("a stack the backend does not have is a usage error; a machine without the CLI is named as such", async () => {
        await assert.rejects(
            driver("prodution"),
            (e: Error) => e instanceof UsageError && /--stack prodution: the backend has no stack named prodution/.test(e.message),
        );
        const saved = process.env.PATH;
        process.env.PATH = fs.mkdtempSync(path.join(tmp, "empty-path-"));
        try {
            await assert.rejects(
                liveStackDriver({ workDir, stack: "production", policyPackDir, advanceConfig, rollbackConfig, planner }),
                (e: Error) => e instanceof UsageError && /^the Pulumi CLI is not installed here \(no `pulumi` on PATH\)/.test(e.message),
            );
        } finally {
            process.env.PATH = saved;
        }
    });

    it("reads failures and smoke results from events alone; the CLI's text only when the engine never ran", () => {
        assert.strictEqual(
            describeChanges({ same: 3, delete: 1, create: 2, "create-replacement": 1 }),
            "2 created, 1 deleted, 3 unchanged, 1 create-replacement",
        );
        const advisory = {
            policyEvent: {
                message: "x",
                color: "never",
                policyName: "p",
                policyPackName: "trading-platform",
                policyPackVersion: "0.1.0",
                policyPackVersionTag: "0.1.0",
                enforcementLevel: "advisory",
            },
        };
        assert.strictEqual(failureFromEvents([advisory as never]), undefined, "an advisory violation is no failure");
        const job = URN("kubernetes:batch/v1:Job", "api-smoke");
        assert.deepStrictEqual(
            smokeFromEvents([
                {
                    resourcePreEvent: {
                        metadata: {
                            op: "same",
                            urn: job,
                            type: "kubernetes:batch/v1:Job",
                            new: { inputs: { metadata: { name: "api-green-smoke-11c2d06094" } } },
                        },
                    },
                } as never,
            ]),
            [{ service: "api", job: "api-green-smoke-11c2d06094", result: "unchanged" }],
        );
        assert.strictEqual(
            cliErrorLine("\nerror: update failed\nerror: [409] Conflict: Another update is currently in progress.\n"),
            "error: [409] Conflict: Another update is currently in progress.",
        );
    });
});
