import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { parse as parseYaml, parseDocument } from "yaml";
import { defaultTrafficQuery, defaultTriggers } from "../../../stacks/config/promotion";
import { CliIo } from "../../../tools/cli/run";
import { main } from "../../../tools/cli/commands/promote";
import { planConfig } from "../../../tools/promote/positionPlans";
import { RecordEntry } from "../../../tools/promote/types";
import { promotionPolicyConfigs } from "../../../tools/promote/window";
import { readProject, readStackConfig } from "../../../tools/runtime/stackFiles";
import { tempDir } from "../../support/cli";
import { ClusterBehaviour, FakeEngine } from "../../support/fakeEngine";
import { FakePulumi, startFakePulumi } from "../../support/fakePulumi";
import { RunningPrometheus, startScrapingPrometheus } from "../../support/prometheus";
import { repoRoot } from "../../support/stackConfig";
import { SlackWebhookServer, startSlackWebhook } from "../../support/slackWebhook";
import { startTrafficExporter, TrafficExporter } from "../../support/trafficExporter";

// The release workflow's own `npm run promote` command line, in live mode, end to end: the live driver
// and the Automation API drive a stand-in `pulumi` whose every update applies the offline plan of the
// stack file to a fake state (test/support/fakeEngine.ts), a load balancer splits an exporter's client
// traffic by the Ingress weights that state holds (test/support/trafficExporterProcess.js), and Debian's real
// Prometheus scrapes that exporter every 250 ms. The stack file is a copy of the committed production
// one with short watches (its promotion section, and the scrape interval of the services). Each
// scenario is one cluster (its own namespace in the exporter) and runs concurrently with the others;
// the outer limits are generous, and every decision waits on events, never on a fixed sleep.

const SCRAPE = "250ms";
const project = readProject(repoRoot);
const committed = fs.readFileSync(path.join(repoRoot, "Pulumi.production.yaml"), "utf8");

/** The committed stack file with the promotion walking in seconds: ranges of four scrapes, watches of one second. */
function testStackFile(edit: (document: ReturnType<typeof parseDocument>) => void = () => undefined): string {
    const document = parseDocument(committed);
    const fast = (q: string) => q.replace(/\[2m\]/g, "[1s]");
    document.setIn(["config", "trading-platform:deployments", "scrapeInterval"], SCRAPE);
    document.setIn(["config", "trading-platform:promotion"], {
        prometheusUrl: "http://prometheus-operated.monitoring:9090",
        interval: "500ms",
        // Generous: the traffic converges in about three ticks; a loaded machine may delay scrapes twice that.
        consecutiveErrorLimit: 12,
        steps: [
            { weight: 5, watch: "1s" },
            { weight: 25, watch: "1s" },
            { weight: 100, watch: "1s" },
        ],
        triggers: {
            errorRate: { query: fast(defaultTriggers.errorRate.query), above: 0.05 },
            latencyP95Seconds: { query: fast(defaultTriggers.latencyP95Seconds.query), above: 2 },
        },
        traffic: { query: fast(defaultTrafficQuery), tolerance: 3 },
        // The webhook comes from each scenario's SLACK_WEBHOOK_URL (a loopback stand-in for Slack).
        notifications: { slack: { channel: "#e2e-promotions", mention: "<!here>" } },
    });
    edit(document);
    return document.toString();
}

/** The workflow's command: `npm run --silent promote -- ARGS || code=$?` in the production job's step `promote`. */
function workflowCommand(): string[] {
    const workflow = parseYaml(fs.readFileSync(path.join(repoRoot, ".github", "workflows", "promote.yml"), "utf8")) as {
        jobs: { production: { steps: { id?: string; run?: string }[] } };
    };
    const script = workflow.jobs.production.steps.find(s => s.id === "promote")?.run ?? "";
    const line = /npm run --silent promote -- ((?:[^|\n]|\\\n)*?)\s*\|\| code=\$\?/.exec(script.replace(/\\\n\s*/g, " "))?.[1];
    assert.ok(line, `no npm run promote command in the promote step:\n${script}`);
    return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map(m => m[1] ?? m[2]);
}

interface Scenario {
    namespace: string;
    behaviour?: ClusterBehaviour;
    /** The stack file the cluster last ran (default: the test stack file: the release staged). */
    before?: string;
    fault?: { service: string; colour: string; errorRatio: number; fromWeight: number };
    /** When the emergency override that opens the deployment window expires. */
    windowOpenForMs?: number;
}

interface Ran {
    code: number;
    stdout: string;
    stderr: string;
    record: RecordEntry[];
    summary: string;
    engine: FakeEngine;
    workDir: string;
    args: string[];
    /** What the run posted to its Slack webhook, in order. */
    messages: string[];
}

let fake: FakePulumi;
let pulumiCommand: PulumiCommand;
let exporter: TrafficExporter;
let prometheus: RunningPrometheus;
let slack: SlackWebhookServer;
const engines = new Map<string, FakeEngine>();

async function runScenario(s: Scenario): Promise<Ran> {
    const dir = tempDir();
    const workDir = fs.realpathSync(fs.mkdtempSync(path.join(dir, "repo-")));
    fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(workDir, "Pulumi.yaml"));
    const stackText = testStackFile();
    fs.writeFileSync(path.join(workDir, "Pulumi.production.yaml"), stackText);
    // The window is open while an emergency override lasts, whatever the day the test runs.
    const advance = path.join(dir, "production-promote.json");
    const override = {
        reason: "live end-to-end test of the promotion",
        approvedBy: "the test suite",
        expiresAt: new Date(Date.now() + (s.windowOpenForMs ?? 3_600_000)).toISOString(),
    };
    const committedAdvance = JSON.parse(fs.readFileSync(promotionPolicyConfigs.advance, "utf8")) as Record<string, Record<string, unknown>>;
    fs.writeFileSync(
        advance,
        JSON.stringify({
            ...committedAdvance,
            "production-deployment-window": { ...committedAdvance["production-deployment-window"], emergencyOverride: override },
        }),
    );

    const engine = new FakeEngine("production", s.namespace, s.behaviour ?? {}, (namespace, weights) =>
        exporter.setWeights({ [namespace]: weights }),
    );
    engines.set(workDir, engine);
    const beforeFile = path.join(dir, "before.yaml");
    fs.writeFileSync(beforeFile, s.before ?? stackText);
    await engine.deploy(readStackConfig(project, "production", beforeFile), promotionPolicyConfigs.rollback);
    if (s.fault) {
        await exporter.setFault(s.namespace, s.fault.service, s.fault.colour, {
            errorRatio: s.fault.errorRatio,
            fromWeight: s.fault.fromWeight,
        });
    }

    // The workflow's flags, with the runner's paths and the port-forward's address of this test.
    const runnerTemp = path.join(dir, "runner");
    const env: Record<string, string> = { RUNNER_TEMP: runnerTemp, GITHUB_STEP_SUMMARY: path.join(dir, "summary.md") };
    const webhook = slack.webhook(s.namespace);
    const args = workflowCommand().map(a =>
        a.replace(/\$(\w+)/g, (_m, name: string) => env[name] ?? `$${name}`).replace("http://127.0.0.1:9090", prometheus.url),
    );
    let stdout = "";
    let stderr = "";
    const io: CliIo = { stdout: { write: t => (stdout += t) }, stderr: { write: t => (stderr += t) } };
    const code = await main(
        args,
        io,
        { SLACK_WEBHOOK_URL: webhook },
        { workDir, pulumiCommand, policyConfigs: { advance, rollback: promotionPolicyConfigs.rollback } },
    );
    const recordFile = path.join(runnerTemp, "promotion", "record.jsonl");
    const record = fs.existsSync(recordFile)
        ? fs
              .readFileSync(recordFile, "utf8")
              .trim()
              .split("\n")
              .filter(Boolean)
              .map(l => JSON.parse(l) as RecordEntry)
        : [];
    const summary = fs.existsSync(env.GITHUB_STEP_SUMMARY) ? fs.readFileSync(env.GITHUB_STEP_SUMMARY, "utf8") : "";
    const recordText = fs.existsSync(recordFile) ? fs.readFileSync(recordFile, "utf8") : "";
    // The webhook is a credential: no output, record or summary may hold it or its secret path.
    for (const [where, text] of Object.entries({ stdout, stderr, record: recordText, summary })) {
        for (const secret of [webhook, new URL(webhook).pathname, new URL(webhook).pathname.split("/").pop() as string]) {
            assert.ok(!text.includes(secret), `${s.namespace}: the Slack webhook in ${where}`);
        }
    }
    const messages = slack.posts.filter(p => p.path === new URL(webhook).pathname).map(p => p.text);
    return { code, stdout, stderr, record, summary, engine, workDir, args, messages };
}

const withoutGreen = (service: string) =>
    testStackFile(document => {
        document.deleteIn(["config", "trading-platform:deployments", "services", service, "blueGreen", "images", "green"]);
    });
const filePositions = (ran: Ran) =>
    Object.fromEntries(
        Object.entries(
            (
                parseYaml(fs.readFileSync(path.join(ran.workDir, "Pulumi.production.yaml"), "utf8")) as {
                    config: Record<string, { services: Record<string, { blueGreen?: { weight: number; finalize?: boolean } }> }>;
                }
            ).config["trading-platform:deployments"].services,
        )
            .filter(([, s]) => s.blueGreen)
            .map(([name, s]) => [name, `${s.blueGreen?.weight}${s.blueGreen?.finalize ? "F" : ""}`]),
    );
const decisions = (ran: Ran, service: string) =>
    ran.record.filter(e => e.service === service && e.event !== "check" && e.event !== "preflight").map(e => `${e.event}@${e.weight}`);
const output = (ran: Ran) => `exit ${ran.code}\n${ran.stdout}\n${ran.stderr}`;

const scenarios: Record<string, Scenario> = {
    healthy: { namespace: "e2e-healthy" },
    "smoke fails": {
        namespace: "e2e-smoke",
        before: withoutGreen("websocket"),
        behaviour: {
            smokeFails: job =>
                job.service === "websocket" ? "BackoffLimitExceeded: Job has reached the specified backoff limit" : undefined,
        },
    },
    "load balancer ignores new weights": { namespace: "e2e-stuck-lb", behaviour: { loadBalancer: "ignore" } },
    "breach at 25 %": { namespace: "e2e-breach", fault: { service: "api", colour: "green", errorRatio: 0.5, fromWeight: 25 } },
    "failed advance": {
        namespace: "e2e-failed-advance",
        behaviour: {
            updateFails: u =>
                u.policyConfig !== promotionPolicyConfigs.rollback && u.weights.api === 25
                    ? {
                          urn: u.targets.find(t => t.endsWith("Ingress::api")) as string,
                          message: 'admission webhook "vingress.elbv2.k8s.aws" denied the request: invalid ingress class',
                      }
                    : undefined,
        },
    },
    "failed rollback": {
        namespace: "e2e-failed-rollback",
        fault: { service: "api", colour: "green", errorRatio: 0.5, fromWeight: 5 },
        behaviour: {
            updateFails: u =>
                u.policyConfig === promotionPolicyConfigs.rollback
                    ? { urn: u.targets[0], message: "Unauthorized: the cluster refused the deploy role's token" }
                    : undefined,
        },
    },
    "window closes mid-walk": { namespace: "e2e-window", windowOpenForMs: 6_000 },
};
const results = new Map<string, Promise<Ran>>();

describe("npm run promote, live, end to end: the workflow's command, a stand-in CLI applying offline plans, a load balancer and a real Prometheus", function () {
    // Outer limits only: each scenario ends on its own decisions.
    this.timeout(180_000);

    before(async () => {
        const dir = tempDir();
        exporter = await startTrafficExporter();
        // Slack fails for the failed rollback: a post that does not get through changes no decision.
        slack = await startSlackWebhook(p =>
            p === new URL(slack.webhook("e2e-failed-rollback")).pathname
                ? { status: 500, body: "internal_error" }
                : { status: 200, body: "ok" },
        );
        prometheus = await startScrapingPrometheus([exporter.address], SCRAPE);
        fake = await startFakePulumi(path.join(dir, "pulumi"), {
            handler: call => {
                const engine = engines.get(fs.realpathSync(call.cwd));
                return engine ? engine.handle(call) : { stderr: `no cluster for ${call.cwd}\n`, code: 2 };
            },
        });
        pulumiCommand = await PulumiCommand.get({ root: fake.root, skipVersionCheck: true });
        // Every scenario at once: their watches overlap, and their plans are shared (one per position).
        const started = Date.now();
        const cpu = process.cpuUsage();
        for (const [name, scenario] of Object.entries(scenarios)) results.set(name, runScenario(scenario));
        await Promise.allSettled(results.values());
        const used = process.cpuUsage(cpu);
        console.log(
            `      (seven live scenarios at once: ${((Date.now() - started) / 1000).toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU in this process, ${fake.calls().length} CLI calls)`,
        );
    });
    after(async () => {
        await fake?.close();
        await prometheus?.stop();
        await exporter?.stop();
        await slack?.close();
    });

    const ran = (name: string) => results.get(name) as Promise<Ran>;

    it("runs the exact command of the workflow's promote step", async () => {
        const { args } = await ran("healthy");
        assert.deepEqual(
            workflowCommand().map(a => a.replace(/\$\w+/, "$X")),
            ["--stack", "production", "--prometheus", "http://127.0.0.1:9090", "--record", "$X/promotion/record.jsonl", "--summary", "$X"],
        );
        assert.equal(args[3], prometheus.url, "the port-forward's address is this test's Prometheus");
    });

    it("starts on the committed stack file: fix-gateway left out, every position pre-flown, and a candidate at 5 % withdrawn when Prometheus cannot watch it", async () => {
        // The committed Pulumi.production.yaml, byte for byte, deployed as it is (api at 5 %, websocket
        // staged); the workflow's port-forward reaches no Prometheus. Whatever the hour (the committed
        // window decides), the run cannot watch the candidate that carries traffic, so it withdraws it.
        const dir = tempDir();
        const workDir = fs.realpathSync(fs.mkdtempSync(path.join(dir, "repo-")));
        fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(workDir, "Pulumi.yaml"));
        fs.copyFileSync(path.join(repoRoot, "Pulumi.production.yaml"), path.join(workDir, "Pulumi.production.yaml"));
        const engine = new FakeEngine("production", "trading-prod", {}, async () => undefined);
        engines.set(workDir, engine);
        await engine.deploy(
            readStackConfig(project, "production", path.join(workDir, "Pulumi.production.yaml")),
            promotionPolicyConfigs.rollback,
        );
        const env: Record<string, string> = { RUNNER_TEMP: path.join(dir, "runner"), GITHUB_STEP_SUMMARY: path.join(dir, "summary.md") };
        const args = workflowCommand().map(a =>
            a.replace(/\$(\w+)/g, (_m, name: string) => env[name]).replace("http://127.0.0.1:9090", "http://127.0.0.1:9"),
        );
        let stdout = "";
        const io: CliIo = { stdout: { write: t => (stdout += t) }, stderr: { write: t => (stdout += t) } };
        const code = await main(args, io, {}, { workDir, pulumiCommand });
        assert.equal(code, 3, stdout);
        assert.match(
            stdout,
            /^fix-gateway: left out: its candidate colour blue has no image in Pulumi\.production\.yaml \(nothing to promote\)$/m,
        );
        assert.match(
            stdout,
            /^Promoting production \(api at 5 %, websocket at 0 %\): steps 5 % for 5m, 25 % for 10m, 50 % for 15m, 100 % for 10m/m,
        );
        assert.match(stdout, /^Pre-flight: 8 positions planned offline with the pack/m);
        assert.match(stdout, /^WITHDRAWN: (the deployment window is closed|Prometheus does not answer)/m);
        const positions = engine.outputs.promotionState as Record<string, { weight: number }>;
        assert.deepEqual([positions.api.weight, positions.websocket.weight], [0, 0]);
        assert.ok(
            engine.ups.every(u => u.policyConfig === promotionPolicyConfigs.rollback),
            "only the withdrawal ran, at any hour",
        );
    });

    it("a healthy release: websocket catches up with api, the traffic verified at every step, both promoted and finalized, and the stack file says so", async () => {
        const r = await ran("healthy");
        assert.equal(r.code, 0, output(r));
        assert.match(r.stdout, /^fix-gateway: left out: its candidate colour blue has no image/m);
        assert.deepEqual(decisions(r, "api"), ["step@5", "step@25", "step@100", "promoted@100", "finalized@100"]);
        assert.deepEqual(decisions(r, "websocket"), ["smoke@0", "step@5", "step@25", "step@100", "promoted@100", "finalized@100"]);
        assert.equal(r.record.find(e => e.event === "smoke")?.smoke?.result, "unchanged", "the release's staged update ran it already");
        // The watch counted only once the load balancer's effect showed: every step has a verified share.
        for (const weight of [5, 25, 100]) {
            const share = r.record
                .filter(e => e.event === "check" && e.service === "websocket" && e.weight === weight)
                .map(e => e.values["traffic:share"])
                .find(v => v !== null && v !== undefined && Math.abs(v - weight) <= 3);
            assert.ok(share !== undefined, `websocket's share at ${weight} % was verified`);
        }
        assert.deepEqual(filePositions(r), { api: "100F", websocket: "100F", "fix-gateway": "0" });
        const positions = r.engine.outputs.promotionState as Record<string, { weight: number; finalize: boolean }>;
        assert.deepEqual(
            [positions.api, positions.websocket].map(p => [p.weight, p.finalize]),
            [
                [100, true],
                [100, true],
            ],
        );
        assert.deepEqual((await exporter.weights())["e2e-healthy"], { api: { blue: 0, green: 100 }, websocket: { blue: 0, green: 100 } });
        // The targeted updates left nothing behind: the deployed state is the plan of the final stack file.
        const final = await planConfig(
            "production",
            readStackConfig(project, "production", path.join(r.workDir, "Pulumi.production.yaml")),
            promotionPolicyConfigs.rollback,
        );
        const drift = final.resources
            .filter(p => r.engine.state.has(p.urn) && JSON.stringify(r.engine.state.get(p.urn)?.inputs) !== JSON.stringify(p.inputs))
            .map(p => p.urn);
        assert.deepEqual(drift, []);
        assert.ok(
            r.engine.ups.every(u => u.targets.length > 0 && u.targets.every(t => t.includes("BlueGreenService"))),
            "every update targeted, at the services' objects only",
        );
        assert.match(r.summary, /^## Promotion of production: promoted/);
        // Slack: each step, then the result; nobody called.
        assert.deepEqual(
            r.messages.map(m => m.split(": promotion of")[0]),
            ["step", "step", "step", ":white_check_mark: promoted and finalized"],
        );
        assert.match(
            r.messages[3],
            /^:white_check_mark: promoted and finalized: promotion of production \(api, websocket\): api, websocket finalized/,
        );
    });

    it("a failing smoke test fails the stage before any traffic moves, and the release rolls back", async () => {
        const r = await ran("smoke fails");
        assert.equal(r.code, 1, output(r));
        const smoke = r.record.find(e => e.event === "smoke" && e.service === "websocket");
        assert.equal(smoke?.smoke?.result, "failed");
        assert.match(smoke?.smoke?.detail ?? "", /Job "websocket-green-smoke-[0-9a-f]{10}" failed: BackoffLimitExceeded/);
        assert.match(
            r.stdout,
            /^ROLLED BACK: the stage update failed before any traffic moved: pulumi up failed: kubernetes:batch\/v1:Job::websocket-smoke: /m,
        );
        assert.deepEqual(decisions(r, "api"), ["rollback@0"]);
        assert.deepEqual((await exporter.weights())["e2e-smoke"].websocket, { blue: 100 }, "websocket's candidate never took traffic");
        assert.equal((await exporter.weights())["e2e-smoke"].api.green, 0);
        assert.match(r.summary, /\| websocket \| websocket-green-smoke-[0-9a-f]{10} \| failed: /);
    });

    it("a load balancer that ignores new weights: the traffic never verifies, the run withdraws and never finalizes", async () => {
        const r = await ran("load balancer ignores new weights");
        assert.equal(r.code, 3, output(r));
        assert.match(
            r.stdout,
            /^WITHDRAWN: no evidence for 13 ticks in a row at 5 % \(limit 12\): .*websocket takes 0 % of client requests against a weight of 5 %/m,
        );
        assert.ok(!r.record.some(e => e.event === "finalized" || e.weight === 25));
        assert.deepEqual(filePositions(r), { api: "0", websocket: "0", "fix-gateway": "0" });
    });

    it("a breach at 25 %: both services roll back at once, only their traffic objects updated", async () => {
        const r = await ran("breach at 25 %");
        assert.equal(r.code, 1, output(r));
        assert.match(r.stdout, /^ROLLED BACK: at 25 %: api trigger:errorRate 0\.\d+ > 0\.05/m);
        const rollback = r.record.filter(e => e.event === "rollback");
        assert.deepEqual(
            rollback.map(e => `${e.service}@${e.weight}`),
            ["api@0", "websocket@0"],
        );
        const targets = rollback[0].targets ?? [];
        assert.ok(
            targets.length > 0 &&
                targets.length <= 8 &&
                targets.every(t =>
                    /BlueGreenService\$kubernetes:(apps\/v1:Deployment|networking\.k8s\.io\/v1:Ingress|policy\/v1:PodDisruptionBudget)::(api|websocket)-?/.test(
                        t,
                    ),
                ),
            targets.join("\n"),
        );
        assert.deepEqual((await exporter.weights())["e2e-breach"], { api: { blue: 100, green: 0 }, websocket: { blue: 100, green: 0 } });
        assert.match(
            r.messages[r.messages.length - 1],
            /^<!here> :rotating_light: ROLLED BACK: promotion of production \(api, websocket\): rolled back to 0 %: at 25 %: api trigger:errorRate/,
        );
        assert.deepEqual(filePositions(r), { api: "0", websocket: "0", "fix-gateway": "0" });
    });

    it("a failed advance rolls the candidate back, and the stack file never shows the weight that failed", async () => {
        const r = await ran("failed advance");
        assert.equal(r.code, 1, output(r));
        assert.match(
            r.stdout,
            /^ROLLED BACK: the update to 25 % failed: pulumi up failed: kubernetes:networking\.k8s\.io\/v1:Ingress::api: admission webhook "vingress\.elbv2\.k8s\.aws" denied the request/m,
        );
        assert.deepEqual(filePositions(r), { api: "0", websocket: "0", "fix-gateway": "0" });
        assert.equal(r.engine.ups.filter(u => !u.ok).length, 1);
    });

    it("a failed rollback exits 4, saying what a person must run, and the stack file keeps what is deployed", async () => {
        const r = await ran("failed rollback");
        assert.equal(r.code, 4, output(r));
        assert.match(
            r.stdout,
            /^FAILED: A PERSON MUST ACT NOW: the rollback update failed: pulumi up failed: .*Unauthorized.*Run now: npm run promote -- --stack production --rollback/m,
        );
        assert.deepEqual(decisions(r, "api").slice(-1), ["failed@5"]);
        // What the last successful update deployed (the breach may show before or after websocket reached 5 %).
        const deployed = r.engine.outputs.promotionState as Record<string, { weight: number; finalize: boolean }>;
        assert.deepEqual(
            filePositions(r),
            Object.fromEntries(Object.entries(deployed).map(([s, p]) => [s, `${p.weight}${p.finalize ? "F" : ""}`])),
        );
        assert.equal(filePositions(r).api, "5");
        // Slack answered 500 to every post: warnings, and the same decisions.
        assert.match(
            r.stderr,
            /^warning: slack message to #e2e-promotions: POST SLACK_WEBHOOK_URL \(not shown\) answered HTTP 500: "internal_error"$/m,
        );
        assert.match(r.messages[r.messages.length - 1], /^<!here> :rotating_light: FAILED: a person must act now: promotion of production/);
        assert.match(r.summary, /^## Promotion of production: a rollback or withdrawal failed: act now/);
    });

    it("the window closing mid-walk withdraws every candidate (exit 3), at any hour", async () => {
        const r = await ran("window closes mid-walk");
        assert.equal(r.code, 3, output(r));
        // Wherever the override expires (before a step, under an update, mid-watch), the run withdraws.
        assert.match(r.stdout, /^WITHDRAWN: the deployment window (closed mid-watch|closed during|is closed)/m);
        assert.deepEqual(filePositions(r), { api: "0", websocket: "0", "fix-gateway": "0" });
        assert.ok(
            r.engine.ups[r.engine.ups.length - 1].policyConfig === promotionPolicyConfigs.rollback,
            "the withdrawal ran under the rollback policy config",
        );
    });
});
