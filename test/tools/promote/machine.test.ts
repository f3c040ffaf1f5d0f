import { strict as assert } from "assert";
import { promotionSettings, PromotionSettings } from "../../../stacks/config/promotion";
import { SimulatedClock } from "../../../tools/promote/clock";
import { OUTCOME_EXIT, rollBackByHand, walk } from "../../../tools/promote/machine";
import { quietNotifier } from "../../../tools/promote/quietNotifier";
import {
    MetricReading,
    Notifier,
    PositionUpdate,
    RecordEntry,
    ServicePosition,
    StackState,
    UpdatePurpose,
} from "../../../tools/promote/types";
import { MemoryDriver } from "../../support/memoryDriver";
import { defaultFacts, Outcome } from "../../../tools/promote/machine";
import { PrometheusSource, renderQuery } from "../../../tools/promote/prometheus";
import { MetricsSource } from "../../../tools/promote/types";
import { promotionWindow } from "../../../tools/promote/window";
import { MetricSeries } from "../../support/metricSeries";
import { startPrometheus } from "../../support/prometheus";
import { fix, http } from "../../support/positions";

// The walk that applies the judges, against a stack in memory and metrics scripted by query text: a
// "load balancer" answers the traffic query with the weights the driver last applied (or ignores them).
// The walks against a real Prometheus follow below, and live end to end in live.e2e.test.ts.
const settings = promotionSettings(undefined);
const start = new Date("2026-11-17T15:00:00Z"); // Tuesday 10:00 New York
const one = (value: number): MetricReading => ({ samples: [{ labels: {}, value }] });
const isTraffic = (promql: string) => promql.startsWith("100 * sum(rate(http_requests_total");
const serviceOf = (promql: string) => /service="([^"]+)"/.exec(promql)?.[1] ?? "";

interface RunOptions {
    settings?: PromotionSettings;
    /** Changes one answer by its query text and time; undefined keeps the healthy default. */
    override?: (promql: string, time: Date) => MetricReading | undefined;
    /** The share the load balancer really sends each candidate; default: the weight last applied. */
    loadBalancer?: (service: string, applied: number) => number;
    window?: (at: Date) => string | undefined;
    notifier?: Notifier;
    refuse?: (updates: PositionUpdate[], purpose: UpdatePurpose) => string | { summary: string; refusedBy: string } | undefined;
}

async function run(state: StackState, options: RunOptions = {}) {
    const clock = new SimulatedClock(start);
    const driver = new MemoryDriver(state, { clock, refuse: options.refuse });
    const entries: RecordEntry[] = [];
    const lines: string[] = [];
    const queries: { promql: string; time: Date }[] = [];
    const metrics = {
        async query(promql: string, time: Date): Promise<MetricReading> {
            queries.push({ promql, time });
            const given = options.override?.(promql, time);
            if (given) return given;
            if (promql === "vector(1)") return one(1);
            if (isTraffic(promql)) {
                const applied = driver.state.services.find(s => s.service === serviceOf(promql))?.weight ?? 0;
                return one(options.loadBalancer ? options.loadBalancer(serviceOf(promql), applied) : applied);
            }
            return one(0);
        },
    };
    const result = await walk({
        settings: options.settings ?? settings,
        state: await driver.read([]),
        driver,
        metrics,
        clock,
        notifier: options.notifier ?? quietNotifier,
        window: options.window ?? (() => undefined),
        record: e => entries.push(e),
        log: l => lines.push(l),
    });
    return { result, driver, entries, lines, clock, queries, exit: OUTCOME_EXIT[result.outcome] };
}

const decisions = (entries: RecordEntry[], service = "api") =>
    entries.filter(e => e.service === service && e.event !== "check").map(e => `${e.event}@${e.weight}`);

describe("promotion walk (scripted metrics)", () => {
    it("stages, then walks healthy services through every step to finalize, each step watched once its traffic is verified", async () => {
        const { result, driver, entries, clock, exit } = await run({
            namespace: "trading-prod",
            services: [http("api"), http("websocket")],
        });
        assert.equal(result.outcome, "promoted", result.reason);
        assert.equal(exit, 0);
        assert.deepEqual(driver.walked, [
            "stage api=0,websocket=0",
            "advance api=5,websocket=5",
            "advance api=25,websocket=25",
            "advance api=50,websocket=50",
            "advance api=100,websocket=100",
            "finalize api=100F,websocket=100F",
        ]);
        // The default steps' 40 minutes of watch, plus one verifying tick per step and one before finalize.
        assert.equal(clock.now().getTime() - start.getTime(), 40 * 60_000 + 5 * 30_000);
        assert.deepEqual(decisions(entries), ["smoke@0", "step@5", "step@25", "step@50", "step@100", "promoted@100", "finalized@100"]);
        const smoke = entries.find(e => e.event === "smoke" && e.service === "api");
        assert.deepEqual(smoke?.smoke, { service: "api", job: "api-smoke", result: "passed" });
        const check = entries.find(e => e.event === "check" && e.service === "api");
        assert.deepEqual(Object.keys(check?.values ?? {}).sort(), [
            "traffic:share",
            "trigger:errorRate",
            "trigger:healthCheckFailures",
            "trigger:latencyP95Seconds",
            "trigger:podRestarts",
        ]);
        assert.equal(check?.values["traffic:share"], 5);
    });

    it("records each check's query as sent, with the namespace, service, candidate colour, the step's watch and the paths no client makes", async () => {
        const { entries, queries } = await run({ namespace: "trading-prod", services: [http("api")] });
        const step = entries.find(e => e.event === "step" && e.weight === 25);
        assert.match(step?.queries?.["trigger:podRestarts"] ?? "", /namespace="trading-prod",pod=~"api-green-\.\*"\}\[10m\]/);
        assert.match(step?.queries?.["trigger:errorRate"] ?? "", /service="api",colour="green",path!~"\/readyz\|\/healthz\|\/metrics"/);
        assert.match(step?.queries?.["active:errorRate"] ?? "", /colour="blue"/);
        assert.ok(
            queries.every(q => !q.promql.includes("{{")),
            "no placeholder left unfilled",
        );
        assert.deepEqual(step?.targets, ["api"], "the update's targets are in the record");
    });

    it("brings a service behind up to the one ahead step by step, watching both, then moves them together", async () => {
        const { result, driver, entries } = await run({ namespace: "trading-prod", services: [http("api", 5), http("websocket", 0)] });
        assert.equal(result.outcome, "promoted", result.reason);
        assert.deepEqual(driver.walked.slice(0, 3), ["stage websocket=0", "advance websocket=5", "advance api=25,websocket=25"]);
        assert.equal(entries.find(e => e.event === "step" && e.service === "api")?.reason, "holds at 5 % while the others catch up");
        assert.ok(
            entries.some(e => e.event === "check" && e.service === "api" && e.weight === 5),
            "the service ahead is watched while the other catches up",
        );
    });

    it("takes a FIX gateway through the cutover only at the step of 100, judged by the checks of its protocol", async () => {
        const { result, driver, queries } = await run({ namespace: "trading-prod", services: [http("api"), fix("fix-gateway")] });
        assert.equal(result.outcome, "promoted", result.reason);
        assert.deepEqual(driver.walked.slice(1, 5), [
            "advance api=5",
            "advance api=25",
            "advance api=50",
            "advance api=100,fix-gateway=100",
        ]);
        const fixQueries = queries.filter(q => q.promql.includes('service="fix-gateway"') || q.promql.includes("fix-gateway-"));
        assert.ok(
            fixQueries.length && fixQueries.every(q => q.time.getTime() > start.getTime() + 30 * 60_000),
            "queried only once it takes traffic",
        );
        assert.ok(
            fixQueries.every(q => !q.promql.includes("http_request")),
            "no HTTP check judges a FIX session",
        );
    });

    it("withdraws, never finalizing, when the load balancer never moves the traffic", async () => {
        const { result, driver, exit } = await run({ namespace: "n", services: [http("api")] }, { loadBalancer: () => 0 });
        assert.equal(result.outcome, "withdrawn");
        assert.equal(exit, 3);
        assert.deepEqual(driver.walked, ["stage api=0", "advance api=5", "withdraw api=0"]);
        assert.match(
            result.reason,
            /^no evidence for 9 ticks in a row at 5 % \(limit 8\): api takes 0 % of client requests against a weight of 5 %/,
        );
    });

    it("withdraws after the error limit when Prometheus stops answering mid-watch, however long the watch", async () => {
        const down = new Date(start.getTime() + 7 * 60_000);
        const { result, driver, clock } = await run(
            { namespace: "n", services: [http("api")] },
            {
                override: (_promql, time) =>
                    time >= down
                        ? { samples: [], failure: "unreachable", error: "Prometheus unreachable at http://p:9090: connect ECONNREFUSED" }
                        : undefined,
            },
        );
        assert.equal(result.outcome, "withdrawn");
        assert.deepEqual(driver.walked.slice(-2), ["advance api=25", "withdraw api=0"]);
        assert.match(result.reason, /no evidence for 9 ticks in a row at 25 %.*Prometheus unreachable/);
        assert.equal(clock.now().getTime(), down.getTime() + 8 * 30_000, "the ninth tick without evidence ends it");
    });

    it("withdraws when the window closes mid-watch, but a trigger on that same tick still rolls back", async () => {
        const closes = new Date(start.getTime() + 3 * 60_000);
        const window = (at: Date) => (at >= closes ? "14:00 is outside 10:00–14:00" : undefined);
        const withdrawn = await run({ namespace: "n", services: [http("api")] }, { window });
        assert.equal(withdrawn.result.outcome, "withdrawn");
        assert.deepEqual(withdrawn.driver.walked, ["stage api=0", "advance api=5", "withdraw api=0"]);
        assert.match(withdrawn.result.reason, /^the deployment window closed mid-watch \(14:00 is outside 10:00–14:00\) at 5 %/);

        const breached = await run(
            { namespace: "n", services: [http("api")] },
            { window, override: (promql, time) => (time >= closes && promql.includes('code=~"5..') ? one(0.4) : undefined) },
        );
        assert.equal(breached.result.outcome, "rolledBack");
        assert.equal(breached.exit, 1);
        assert.deepEqual(breached.driver.walked.slice(-1), ["rollback api=0"]);
    });

    it("with onHold: keep, leaves the candidate where it is and says first that nobody watches it", async () => {
        const keep = { ...settings, onHold: "keep" as const };
        const { result, driver, exit } = await run({ namespace: "n", services: [http("api")] }, { settings: keep, loadBalancer: () => 0 });
        assert.equal(result.outcome, "held");
        assert.equal(exit, 3);
        assert.deepEqual(driver.walked, ["stage api=0", "advance api=5"]);
        assert.match(result.unwatched ?? "", /^UNWATCHED: api at 5 % carries live traffic that nobody watches \(promotion\.onHold: keep\)/);
    });

    it("withdraws when the gates are not met though no trigger fired", async () => {
        const { result, driver } = await run(
            { namespace: "n", services: [http("api")] },
            { override: promql => (promql.includes("[5m]") && promql.includes('code=~"5..') ? one(0.01) : undefined) },
        );
        assert.equal(result.outcome, "withdrawn");
        assert.deepEqual(driver.walked, ["stage api=0", "advance api=5", "withdraw api=0"]);
        assert.match(result.reason, /gates not met over the 5m watch at 5 %: api gate:errorRate 0\.01 not below 0\.001/);
    });

    it("rolls back when an advance fails (a failed advance may have applied part of itself), and when a smoke test fails before any traffic", async () => {
        const refused = await run(
            { namespace: "n", services: [http("api")] },
            { refuse: (u, p) => (p === "advance" && u[0].weight === 25 ? "Ingress api: admission webhook denied the request" : undefined) },
        );
        assert.equal(refused.result.outcome, "rolledBack");
        assert.deepEqual(refused.driver.walked, ["stage api=0", "advance api=5", "advance api=25", "rollback api=0"]);
        assert.match(refused.result.reason, /update to 25 % failed: Ingress api: admission webhook denied/);

        const smoke = await run(
            { namespace: "n", services: [http("api", 5), http("websocket")] },
            {
                refuse: (_u, p) =>
                    p === "stage" ? "kubernetes:batch/v1:Job::websocket-smoke: Job failed: BackoffLimitExceeded" : undefined,
            },
        );
        assert.equal(smoke.result.outcome, "rolledBack");
        assert.deepEqual(smoke.driver.walked, ["stage websocket=0", "rollback api=0"]);
        assert.match(
            smoke.result.reason,
            /stage update failed before any traffic moved: kubernetes:batch\/v1:Job::websocket-smoke: Job failed/,
        );
    });

    it("withdraws, rather than rolls back, when the window closes under an update (the window policy refuses it after its steps ran)", async () => {
        const { result, driver, exit } = await run(
            { namespace: "n", services: [http("api")] },
            {
                refuse: (u, p) =>
                    p === "advance" && u[0].weight === 25
                        ? {
                              summary: "policy violation: production-deployment-window [mandatory]",
                              refusedBy: "production-deployment-window",
                          }
                        : undefined,
            },
        );
        assert.equal(result.outcome, "withdrawn");
        assert.equal(exit, 3);
        assert.deepEqual(driver.walked.slice(-2), ["advance api=25", "withdraw api=0"]);
        assert.match(result.reason, /^the deployment window closed during the update to 25 %/);
    });

    it("exits 4 and pages at once, saying what to run, when a rollback's own update fails", async () => {
        const pages: { reason: string; urgent?: boolean }[] = [];
        const notifier = { ...quietNotifier, page: async (e: { reason: string; urgent?: boolean }) => void pages.push(e) };
        const { result, exit, entries } = await run(
            { namespace: "n", services: [http("api")] },
            {
                notifier,
                override: (promql, time) =>
                    time.getTime() >= start.getTime() + 60_000 && promql.includes('code=~"5..') ? one(0.5) : undefined,
                refuse: (_u, p) => (p === "rollback" ? "[409] Conflict: Another update is currently in progress." : undefined),
            },
        );
        assert.equal(result.outcome, "failed");
        assert.equal(exit, 4);
        assert.match(
            result.reason,
            /rollback update failed: \[409\] Conflict.*Run now: npm run promote -- --stack production --rollback.*pulumi cancel --stack production --yes/,
        );
        assert.deepEqual(
            pages.map(p => p.urgent),
            [true],
        );
        assert.deepEqual(
            entries.filter(e => e.event === "failed").map(e => e.weight),
            [5],
        );
    });

    it("never touches the stack when the window is closed and nothing carries traffic: held, nothing to withdraw", async () => {
        const closed = await run(
            { namespace: "n", services: [http("api")] },
            { window: () => "Sat is not a deployment day (Tue, Wed, Thu)" },
        );
        assert.equal(closed.result.outcome, "held");
        assert.deepEqual(closed.driver.applied, []);
        assert.match(
            closed.result.reason,
            /window is closed \(Sat is not a deployment day.*no candidate carries traffic, nothing to withdraw/,
        );
    });

    it("already finalized services are promoted: nothing to apply", async () => {
        const { result, driver } = await run({ namespace: "n", services: [http("api", 100, true)] });
        assert.equal(result.outcome, "promoted");
        assert.deepEqual(driver.applied, []);
    });

    it("--rollback after finalize restores the old colour's size, then takes the candidate to 0; its failure is exit 4", async () => {
        const clock = new SimulatedClock(start);
        const driver = new MemoryDriver({ namespace: "n", services: [http("api", 100, true), http("websocket", 100, true)] }, { clock });
        const entries: RecordEntry[] = [];
        const result = await rollBackByHand(
            { services: [], driver, clock, notifier: quietNotifier, record: e => entries.push(e), log: () => undefined },
            "INC-2231",
        );
        assert.equal(result.outcome, "rolledBack");
        assert.deepEqual(driver.walked, ["rollback api=100,websocket=100", "rollback api=0,websocket=0"]);
        assert.deepEqual(
            entries.map(e => `${e.service}:${e.event}:${e.weight}`),
            ["api:rollback:100", "websocket:rollback:100", "api:rollback:0", "websocket:rollback:0"],
        );

        const stuck = new MemoryDriver(
            { namespace: "n", services: [http("api", 25)] },
            { clock, refuse: () => "error: the stack is locked" },
        );
        const calls: string[] = [];
        const notifier: Notifier = {
            ...quietNotifier,
            annotate: async e => void calls.push(`annotate ${e.event} ${e.weight}`),
            page: async e => void calls.push(`page ${e.urgent ? "urgent" : ""}`),
        };
        const failed = await rollBackByHand(
            { services: [], driver: stuck, clock, notifier, record: () => undefined, log: () => undefined },
            "INC-2231",
        );
        assert.equal(failed.outcome, "failed");
        assert.match(failed.reason, /pulumi cancel --stack production --yes/);
        // The result reaches every channel: a page, and the annotation Grafana and Slack show.
        assert.deepEqual(calls, ["page urgent", "annotate failed 25"]);
    });

    it("sends every channel's notifications: an annotation per step, a silence per watch, a page on rollback", async () => {
        const calls: string[] = [];
        const notifier: Notifier = {
            annotate: async e => void calls.push(`annotate ${e.event} ${e.weight}`),
            silence: async e => (calls.push(`silence ${e.services.join(",")}`), `id-${calls.length}`),
            expireSilence: async id => void calls.push(`expire ${id}`),
            page: async e => void calls.push(`page ${e.reason.split(":")[0]}`),
        };
        const { result } = await run(
            { namespace: "n", services: [http("api")] },
            {
                notifier,
                override: (promql, time) =>
                    promql.includes("restarts") && time.getTime() >= start.getTime() + 8 * 60_000 ? one(9) : undefined,
            },
        );
        assert.equal(result.outcome, "rolledBack");
        assert.deepEqual(calls, [
            "annotate step 5",
            "silence api",
            "expire id-2",
            "annotate step 25",
            "silence api",
            "page at 25 %",
            "annotate rollback 0",
            "expire id-5",
        ]);
    });
});

// The whole walk against a real Prometheus holding series written for each scenario (one namespace
// each), so real PromQL computes the rates and quantiles the decisions read. Time is simulated; the
// deployment window is the real one from policy/config/production-promote.json. These series are not
// shaped by the weights the walk applies, so the traffic check is set wide open here: it is judged in
// judge.test.ts and machine.test.ts, and against a load balancer that follows the deployed weights in
// live.e2e.test.ts.

const T0 = new Date("2026-11-17T15:00:00Z"); // Tuesday, 10:00 in New York: the window is open
const at = (minutes: number, from = T0) => new Date(from.getTime() + minutes * 60_000);
const CLOSE_SOON = new Date("2026-11-17T18:57:00Z"); // 13:57 in New York: the window closes at 14:00

const wideOpen = (s: PromotionSettings): PromotionSettings => ({ ...s, traffic: { ...s.traffic, tolerance: 100 } });
/** Two-minute steps: the same decisions as the default steps', in a quarter of the simulated time. */
const short = wideOpen({
    ...promotionSettings(undefined),
    steps: [5, 25, 50, 100].map(weight => ({ weight, watch: "2m", watchMs: 120_000 })),
});
const defaults = wideOpen(promotionSettings(undefined));

interface Scenario {
    /** Candidate (green) behaviour; the active colour (blue) is always healthy. */
    errorRatio?: (t: Date) => number;
    latencySeconds?: (t: Date) => number;
    restartsTotal?: (t: Date) => number;
    failedProbesTotal?: (t: Date) => number;
    from?: Date;
    minutes?: number;
}
// With two-minute steps each step starts a tick (30 s) after the last one's watch: 5 % at 0, 25 % at 2.5,
// 50 % at 5, 100 % at 7.5 minutes.
const scenarios: Record<string, Scenario> = {
    clean: { minutes: 50 },
    "restarts-at-5": { restartsTotal: t => (t >= at(1) ? 6 : 0) },
    "errors-at-25": { errorRatio: t => (t >= at(3) ? 0.3 : 0) },
    "latency-at-50": { latencySeconds: t => (t >= at(6) ? 3 : 0.05) },
    "probes-at-100": { failedProbesTotal: t => (t >= at(8.5) ? 12 : 0) },
    "gate-fails": { errorRatio: () => 0.01 },
    "worse-than-active": { latencySeconds: () => 0.3 },
    "window-closes": { from: CLOSE_SOON, minutes: 25 },
    "data-stops": { minutes: 8 },
    "resume-healthy": {},
    "resume-breached": { errorRatio: () => 0.5 },
};

const walkedServices = ["api", "websocket"];
let prometheus: { url: string; stop(): Promise<void> };

async function startScenarioPrometheus() {
    const series = new MetricSeries();
    for (const [namespace, s] of Object.entries(scenarios)) {
        const from = at(-5, s.from ?? T0);
        const to = at(s.minutes ?? 15, s.from ?? T0);
        for (const service of walkedServices) {
            series.httpTraffic({ namespace, service, colour: "blue", from, to });
            series.httpTraffic({
                namespace,
                service,
                colour: "green",
                from,
                to,
                errorRatio: s.errorRatio,
                latencySeconds: s.latencySeconds,
            });
            // Faults are on api's candidate only: a trigger on one service rolls back both.
            const faulty = service === "api";
            series.restarts({
                namespace,
                pod: `${service}-green-5d9f8-abcde`,
                from,
                to,
                total: faulty && s.restartsTotal ? s.restartsTotal : () => 0,
            });
            series.restarts({ namespace, pod: `${service}-blue-7c4b2-fghij`, from, to, total: () => 0 });
            series.probes({
                namespace,
                pod: `${service}-green-5d9f8-abcde`,
                from,
                to,
                failedTotal: faulty && s.failedProbesTotal ? s.failedProbesTotal : () => 0,
            });
        }
    }
    prometheus = await startPrometheus(series.toOpenMetrics());
}

interface Walked {
    outcome: Outcome;
    reason: string;
    driver: MemoryDriver;
    entries: RecordEntry[];
}

async function promote(
    namespace: string,
    options: { settings?: PromotionSettings; from?: Date; weight?: number; metrics?: MetricsSource } = {},
): Promise<Walked> {
    const clock = new SimulatedClock(options.from ?? scenarios[namespace].from ?? T0);
    const position = (service: string): ServicePosition => ({
        service,
        activeColour: "blue",
        weight: options.weight ?? 0,
        finalize: false,
        protocol: "http",
    });
    const driver = new MemoryDriver({ namespace, services: walkedServices.map(position) }, { clock });
    const entries: RecordEntry[] = [];
    const result = await walk({
        settings: options.settings ?? short,
        state: await driver.read([]),
        driver,
        metrics: options.metrics ?? new PrometheusSource(prometheus.url),
        clock,
        notifier: quietNotifier,
        window: promotionWindow(),
        record: e => entries.push(e),
        log: () => undefined,
    });
    return { ...result, driver, entries };
}

/** When the trigger's own query first exceeds its limit, read from Prometheus every 5 s of the step. */
async function breachAppears(namespace: string, trigger: string, from: Date, to: Date, settings = short): Promise<Date> {
    const source = new PrometheusSource(prometheus.url);
    const check = settings.triggers[trigger];
    const promql = renderQuery(check.query, {
        namespace,
        service: "api",
        colour: "green",
        window: settings.steps[0].watch,
        excludedPaths: defaultFacts.excludedPaths,
    });
    for (let t = from.getTime(); t <= to.getTime(); t += 5_000) {
        const { samples } = await source.query(promql, new Date(t));
        if (samples.some(s => s.value > check.limit)) return new Date(t);
    }
    throw new Error(`${trigger} never exceeds ${check.limit} in ${namespace}`);
}

const rollbackOf = (w: Walked) => w.entries.filter(e => e.event === "rollback");
const lastStepWeight = (w: Walked) => w.entries.filter(e => e.event === "step" && e.service === "api").pop()?.weight;

describe("promotion walk against a real Prometheus", () => {
    before(startScenarioPrometheus);
    after(async () => prometheus?.stop());

    it("promotes healthy services through the four default steps to finalize", async () => {
        const w = await promote("clean", { settings: defaults });
        assert.equal(w.outcome, "promoted", w.reason);
        assert.deepEqual(w.driver.walked, [
            "stage api=0,websocket=0",
            "advance api=5,websocket=5",
            "advance api=25,websocket=25",
            "advance api=50,websocket=50",
            "advance api=100,websocket=100",
            "finalize api=100F,websocket=100F",
        ]);
        // Each watch starts counting a tick after its step (the traffic verified), and finalize waits one more.
        assert.deepEqual(
            w.driver.applied.map(a => a.at),
            [at(0), at(0), at(5.5), at(16), at(31.5), at(42.5)].map(d => d.toISOString()),
        );
        // Real PromQL computed the readings: no errors, p95 inside the 0.05 s bucket, the active colour the same.
        const gates = w.entries.find(e => e.event === "check" && "gate:errorRate" in e.values)?.values ?? {};
        assert.equal(gates["gate:errorRate"], 0);
        assert.ok(
            (gates["gate:latencyP95Seconds"] as number) > 0 && (gates["gate:latencyP95Seconds"] as number) <= 0.05,
            JSON.stringify(gates),
        );
        assert.equal(gates["comparison:latencyP95Seconds"], gates["active:latencyP95Seconds"]);
    });

    const triggers = [
        { trigger: "podRestarts", namespace: "restarts-at-5", weight: 5, stepStart: at(0) },
        { trigger: "errorRate", namespace: "errors-at-25", weight: 25, stepStart: at(2.5) },
        { trigger: "latencyP95Seconds", namespace: "latency-at-50", weight: 50, stepStart: at(5) },
        { trigger: "healthCheckFailures", namespace: "probes-at-100", weight: 100, stepStart: at(7.5) },
    ];
    for (const { trigger, namespace, weight, stepStart } of triggers) {
        it(`rolls both services back at ${weight} % within one interval of a ${trigger} breach on one of them`, async () => {
            const w = await promote(namespace);
            assert.equal(w.outcome, "rolledBack", w.reason);
            assert.equal(lastStepWeight(w), weight);
            assert.match(w.reason, new RegExp(`at ${weight} %: api trigger:${trigger} [0-9.]+ > `));
            const rollback = w.driver.applied[w.driver.applied.length - 1];
            assert.deepEqual(rollback.updates, [
                { service: "api", weight: 0, finalize: false },
                { service: "websocket", weight: 0, finalize: false },
            ]);
            assert.equal(rollback.purpose, "rollback");
            const appeared = await breachAppears(namespace, trigger, stepStart, at(2.5, stepStart));
            const latency = new Date(rollback.at as string).getTime() - appeared.getTime();
            assert.ok(
                latency >= 0 && latency <= short.intervalMs,
                `acted ${latency / 1000}s after the breach appeared at ${appeared.toISOString()}`,
            );
            assert.deepEqual(
                rollbackOf(w).map(e => `${e.service}@${e.weight}`),
                ["api@0", "websocket@0"],
            );
        });
    }

    it("withdraws (exit 3), never rolling back, when a gate fails without a trigger", async () => {
        const w = await promote("gate-fails");
        assert.equal(w.outcome, "withdrawn");
        assert.deepEqual(w.driver.walked, ["stage api=0,websocket=0", "advance api=5,websocket=5", "withdraw api=0,websocket=0"]);
        assert.match(w.reason, /gates not met over the 2m watch at 5 %: api gate:errorRate 0\.01 not below 0\.001/);
        assert.equal(rollbackOf(w).length, 0);
    });

    it("withdraws when the candidate is worse than the active colour by more than the margin, though under every absolute limit", async () => {
        const w = await promote("worse-than-active");
        assert.equal(w.outcome, "withdrawn");
        assert.match(w.reason, /api comparison:latencyP95Seconds 0\.4\d+ exceeds the active colour's 0\.04\d+ by more than 0\.05/);
        assert.ok(!/gate:latencyP95Seconds/.test(w.reason), "the absolute gate held");
    });

    it("moves nothing while Prometheus is down: held, with nothing to withdraw", async () => {
        const w = await promote("clean", { metrics: new PrometheusSource("http://127.0.0.1:9") });
        assert.equal(w.outcome, "held");
        assert.deepEqual(w.driver.applied, []);
        assert.match(w.reason, /Prometheus does not answer \(Prometheus unreachable at http:\/\/127\.0\.0\.1:9/);
    });

    it("withdraws when the data stops: no data is not health", async () => {
        // This namespace's series end 8 minutes in, during the 100 % step (from 7.5 minutes).
        const w = await promote("data-stops");
        assert.equal(w.outcome, "withdrawn", w.reason);
        assert.match(w.reason, /no evidence for 9 ticks in a row at 100 %.*no data is not health/);
        assert.deepEqual(w.driver.walked.slice(-2), ["advance api=100,websocket=100", "withdraw api=0,websocket=0"]);
        assert.equal(rollbackOf(w).length, 0);
    });

    it("withdraws every candidate when the deployment window closes mid-watch", async () => {
        const w = await promote("window-closes", { settings: defaults });
        assert.equal(w.outcome, "withdrawn");
        assert.deepEqual(w.driver.walked, ["stage api=0,websocket=0", "advance api=5,websocket=5", "withdraw api=0,websocket=0"]);
        assert.match(w.reason, /window closed mid-watch \(14:00 is outside 10:00–14:00\) at 5 %/);
        assert.equal(w.entries.filter(e => e.event === "withdraw")[0].at, "2026-11-17T19:00:00.000Z");
    });

    it("resumes a step its runner died in: watches it again, then carries on", async () => {
        const w = await promote("resume-healthy", { weight: 25, from: at(2) });
        assert.equal(w.outcome, "promoted", w.reason);
        assert.deepEqual(w.driver.walked, [
            "advance api=50,websocket=50",
            "advance api=100,websocket=100",
            "finalize api=100F,websocket=100F",
        ]);
        assert.equal(w.driver.applied[0].at, at(4).toISOString(), "25 % watched again for its whole 2 minutes");
    });

    it("resumes into a breach: rolls back at once, at the step the stack is at", async () => {
        const w = await promote("resume-breached", { weight: 50, from: at(2) });
        assert.equal(w.outcome, "rolledBack");
        assert.deepEqual(w.driver.walked, ["rollback api=0,websocket=0"]);
        assert.equal(w.driver.applied[0].at, at(2).toISOString(), "checked before waiting an interval");
        assert.match(w.reason, /at api 50 %, websocket 50 %: api trigger:errorRate 0\.5 > 0\.05/);
    });
});
