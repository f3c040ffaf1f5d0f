import { strict as assert } from "assert";
import { promotionSettings, PromotionSettings } from "../../../stacks/config/promotion";
import { SimulatedClock } from "../../../tools/promote/clock";
import { Outcome, positionOf, rollBackByHand, rollbackUpdates, updatesAt, walk } from "../../../tools/promote/machine";
import { weightAtStep } from "../../../platform/rollout";
import { PrometheusSource, renderQuery } from "../../../tools/promote/prometheus";
import { quietNotifier } from "../../../tools/promote/quietNotifier";
import { MetricReading, MetricsSource, Notifier, PositionUpdate, RecordEntry, ServicePosition, StackState, UpdatePurpose } from "../../../tools/promote/types";
import { promotionWindow } from "../../../tools/promote/window";
import { MemoryDriver } from "../../support/memoryDriver";
import { MetricSeries } from "../../support/metricSeries";
import { startPrometheus } from "../../support/prometheus";

// The decisions alone, with metrics scripted by query text: the real-Prometheus walks are in walk.test.ts.
const settings = promotionSettings(undefined);
const start = new Date("2026-11-17T15:00:00Z"); // Tuesday 10:00 New York
const http = (service: string, weight = 0, finalize = false): ServicePosition => ({ service, activeColour: "blue", weight, finalize, protocol: "http" });
const fix = (service: string, weight = 0): ServicePosition => ({ service, activeColour: "green", weight, finalize: false, protocol: "fix" });

/** Healthy numbers for every default query; `override` may change one by its text and time. */
function scripted(override?: (promql: string, time: Date) => MetricReading | undefined) {
    const queries: { promql: string; time: Date }[] = [];
    return {
        queries,
        source: {
            async query(promql: string, time: Date): Promise<MetricReading> {
                queries.push({ promql, time });
                return override?.(promql, time) ?? { value: promql === "vector(1)" ? 1 : 0 };
            },
        },
    };
}

interface RunOptions {
    metrics?: ReturnType<typeof scripted>;
    window?: (at: Date) => string | undefined;
    notifier?: Notifier;
    refuse?: (updates: PositionUpdate[], purpose: UpdatePurpose) => string | undefined;
}

async function run(state: StackState, options: RunOptions = {}) {
    const clock = new SimulatedClock(start);
    const driver = new MemoryDriver(state, { clock, refuse: options.refuse });
    const entries: RecordEntry[] = [];
    const lines: string[] = [];
    const metrics = options.metrics ?? scripted();
    const result = await walk({
        settings,
        services: [],
        driver,
        metrics: metrics.source,
        clock,
        notifier: options.notifier ?? quietNotifier,
        window: options.window ?? (() => undefined),
        record: e => entries.push(e),
        log: l => lines.push(l),
    });
    return { result, driver, entries, lines, clock, metrics };
}

describe("promotion state machine", () => {
    describe("positionOf", () => {
        it("reads the step index the services stand at, -1 when staged", () => {
            assert.deepEqual(positionOf([http("api", 0), http("websocket", 0)], settings), { stepIndex: -1, finalized: false });
            assert.deepEqual(positionOf([http("api", 25), http("websocket", 25)], settings), { stepIndex: 1, finalized: false });
            assert.deepEqual(positionOf([http("api", 100, true)], settings), { stepIndex: 3, finalized: true });
        });
        it("places a FIX service at 0 with any step before the cutover, at 100 only with the cutover", () => {
            assert.deepEqual(positionOf([http("api", 50), fix("fix-gateway", 0)], settings), { stepIndex: 2, finalized: false });
            assert.deepEqual(positionOf([http("api", 100), fix("fix-gateway", 100)], settings), { stepIndex: 3, finalized: false });
            assert.throws(() => positionOf([http("api", 50), fix("fix-gateway", 100)], settings), /same step/);
        });
        it("refuses services at different steps, a step the sequence never reaches, and half-finalized runs", () => {
            assert.throws(() => positionOf([http("api", 5), http("websocket", 0)], settings), /api at 5 %, websocket at 0 %/);
            assert.throws(() => positionOf([http("api", 5)], promotionSettings({ ...settingsConfig(), steps: [{ weight: 25, watch: "1m" }, { weight: 100, watch: "1m" }] })), /never reach/);
            assert.throws(() => positionOf([http("api", 100, true), http("websocket", 100)], settings), /finalized/);
        });
    });

    it("weights a FIX service 0 until the cutover, and the updates at a step follow", () => {
        assert.deepEqual([5, 25, 50, 100].map(w => weightAtStep("fix", w)), [0, 0, 0, 100]);
        const state = { namespace: "trading-prod", services: [http("api"), fix("fix-gateway")] };
        assert.deepEqual(updatesAt(state, settings, 1), [
            { service: "api", weight: 25, finalize: false },
            { service: "fix-gateway", weight: 0, finalize: false },
        ]);
    });

    it("rolls back in one update, or restores the old colour's size first after finalize", () => {
        assert.deepEqual(rollbackUpdates({ namespace: "n", services: [http("api", 50), http("websocket", 50)] }), [
            [
                { service: "api", weight: 0, finalize: false },
                { service: "websocket", weight: 0, finalize: false },
            ],
        ]);
        assert.deepEqual(rollbackUpdates({ namespace: "n", services: [http("api", 100, true)] }), [[{ service: "api", weight: 100, finalize: false }], [{ service: "api", weight: 0, finalize: false }]]);
    });

    it("walks healthy services through every step to finalize, one update per step, watching the seed's 40 minutes", async () => {
        const { result, driver, entries, clock } = await run({ namespace: "trading-prod", services: [http("api"), http("websocket")] });
        assert.equal(result.outcome, "promoted");
        assert.deepEqual(driver.walked, [
            "advance api=5,websocket=5",
            "advance api=25,websocket=25",
            "advance api=50,websocket=50",
            "advance api=100,websocket=100",
            "finalize api=100F,websocket=100F",
        ]);
        assert.equal(clock.now().getTime() - start.getTime(), 40 * 60_000);
        assert.deepEqual(
            entries.filter(e => e.service === "api" && e.event !== "check").map(e => `${e.event}@${e.weight}`),
            ["step@5", "step@25", "step@50", "step@100", "promoted@100", "finalized@100"],
        );
        const check = entries.find(e => e.event === "check");
        assert.deepEqual(Object.keys(check?.values ?? {}).sort(), ["trigger:errorRate", "trigger:healthCheckFailures", "trigger:latencyP95Seconds", "trigger:podRestarts"]);
    });

    it("fills each query's placeholders with the namespace, the service, the candidate colour and the step's watch", async () => {
        const { metrics } = await run({ namespace: "trading-prod", services: [http("api")] });
        const first = metrics.queries.find(q => q.promql.includes("kube_pod_container_status_restarts_total"));
        assert.match(first?.promql ?? "", /namespace="trading-prod",pod=~"api-green-\.\*"\}\[5m\]/);
        assert.ok(metrics.queries.some(q => q.promql.includes('colour="blue"')), "the comparison reads the active colour");
        assert.ok(!metrics.queries.some(q => q.promql.includes("{{")), "no placeholder left unfilled");
    });

    it("a FIX gateway in the run takes no traffic before the cutover, so it is not queried until then", async () => {
        const { result, driver, metrics } = await run({ namespace: "trading-prod", services: [http("api"), fix("fix-gateway")] });
        assert.equal(result.outcome, "promoted");
        assert.deepEqual(driver.walked.slice(0, 2), ["advance api=5,fix-gateway=0", "advance api=25,fix-gateway=0"]);
        const firstFix = metrics.queries.find(q => q.promql.includes('service="fix-gateway"') || q.promql.includes("fix-gateway-"));
        assert.ok(firstFix && firstFix.time.getTime() > start.getTime() + 30 * 60_000, "queried only once it takes traffic");
    });

    it("rolls back when an update is refused, and never touches the stack when the window is closed", async () => {
        const refused = await run({ namespace: "n", services: [http("api")] }, { refuse: (u, p) => (p === "advance" && u[0].weight === 25 ? "blue-green-traffic-invariants: weights" : undefined) });
        assert.equal(refused.result.outcome, "rolledBack");
        assert.deepEqual(refused.driver.walked, ["advance api=5", "advance api=25", "rollback api=0"]);
        assert.match(refused.result.reason, /update to 25 % failed: blue-green-traffic-invariants/);

        const closed = await run({ namespace: "n", services: [http("api")] }, { window: () => "Sat is not a deployment day (Tue, Wed, Thu)" });
        assert.equal(closed.result.outcome, "held");
        assert.deepEqual(closed.driver.applied, []);
        assert.match(closed.result.reason, /window is closed \(Sat is not a deployment day/);
    });

    it("already finalized services are promoted: nothing to apply", async () => {
        const { result, driver } = await run({ namespace: "n", services: [http("api", 100, true)] });
        assert.equal(result.outcome, "promoted");
        assert.deepEqual(driver.applied, []);
    });

    it("--rollback after finalize restores the old colour's size, then takes the candidate to 0", async () => {
        const clock = new SimulatedClock(start);
        const driver = new MemoryDriver({ namespace: "n", services: [http("api", 100, true), http("websocket", 100, true)] }, { clock });
        const entries: RecordEntry[] = [];
        const result = await rollBackByHand({ services: [], driver, clock, notifier: quietNotifier, record: e => entries.push(e), log: () => undefined }, "INC-2231");
        assert.equal(result.outcome, "rolledBack");
        assert.deepEqual(driver.walked, ["rollback api=100,websocket=100", "rollback api=0,websocket=0"]);
        assert.deepEqual(entries.map(e => `${e.service}:${e.event}:${e.weight}`), ["api:rollback:0", "websocket:rollback:0"]);
    });

    it("sends the seed's notifications: an annotation per step, a silence per watch, a page on rollback", async () => {
        const calls: string[] = [];
        const notifier: Notifier = {
            annotate: async e => void calls.push(`annotate ${e.event} ${e.weight}`),
            silence: async e => (calls.push(`silence ${e.services.join(",")} ${(e.until.getTime() - e.from.getTime()) / 60_000}m`), `id-${calls.length}`),
            expireSilence: async id => void calls.push(`expire ${id}`),
            page: async e => void calls.push(`page ${e.reason.split(":")[0]}`),
        };
        const metrics = scripted((promql, time) => (promql.includes("restarts") && time.getTime() >= start.getTime() + 7 * 60_000 ? { value: 9 } : undefined));
        const { result } = await run({ namespace: "n", services: [http("api")] }, { notifier, metrics });
        assert.equal(result.outcome, "rolledBack");
        assert.deepEqual(calls, ["annotate step 5", "silence api 5.5m", "expire id-2", "annotate step 25", "silence api 10.5m", "page at 25 %", "annotate rollback 0", "expire id-5"]);
    });
});

function settingsConfig() {
    return { prometheusUrl: "http://p:9090", interval: "30s", triggers: {}, gates: {}, comparisons: {}, notifications: {} };
}

// The whole walk against a real Prometheus holding series written for each scenario (one namespace
// each), so real PromQL computes the rates and quantiles the decisions read. Time is simulated; the
// deployment window is the real one from policy/config/production-promote.json.

const T0 = new Date("2026-11-17T15:00:00Z"); // Tuesday, 10:00 in New York: the window is open
const at = (minutes: number, from = T0) => new Date(from.getTime() + minutes * 60_000);
const CLOSE_SOON = new Date("2026-11-17T18:57:00Z"); // 13:57 in New York: the window closes at 14:00

/** Two-minute steps: the same decisions as the seed's, in a quarter of the simulated time. */
const short: PromotionSettings = {
    ...promotionSettings(undefined),
    steps: [5, 25, 50, 100].map(weight => ({ weight, watch: "2m", watchMs: 120_000 })),
};
const seed = promotionSettings(undefined);

interface Scenario {
    /** Candidate (green) behaviour; the active colour (blue) is always healthy. */
    errorRatio?: (t: Date) => number;
    latencySeconds?: (t: Date) => number;
    restartsTotal?: (t: Date) => number;
    failedProbesTotal?: (t: Date) => number;
    from?: Date;
    minutes?: number;
}
const scenarios: Record<string, Scenario> = {
    clean: { minutes: 50 },
    // The committed production stack's namespace: the CLI rehearsal below reads it from the stack file.
    "trading-prod": { minutes: 50 },
    "restarts-at-5": { restartsTotal: t => (t >= at(1) ? 6 : 0) },
    "errors-at-25": { errorRatio: t => (t >= at(3) ? 0.3 : 0) },
    "latency-at-50": { latencySeconds: t => (t >= at(5) ? 3 : 0.05) },
    "probes-at-100": { failedProbesTotal: t => (t >= at(7) ? 12 : 0) },
    "gate-fails": { errorRatio: () => 0.01 },
    "worse-than-active": { latencySeconds: () => 0.3 },
    "window-closes": { from: CLOSE_SOON, minutes: 25 },
    "data-stops": { minutes: 7 },
    "resume-healthy": {},
    "resume-breached": { errorRatio: () => 0.5 },
};

const services = ["api", "websocket"];
let prometheus: { url: string; stop(): Promise<void> };

async function startScenarioPrometheus() {
    const series = new MetricSeries();
    for (const [namespace, s] of Object.entries(scenarios)) {
        const from = at(-5, s.from ?? T0);
        const to = at(s.minutes ?? 15, s.from ?? T0);
        for (const service of services) {
            series.httpTraffic({ namespace, service, colour: "blue", from, to });
            series.httpTraffic({ namespace, service, colour: "green", from, to, errorRatio: s.errorRatio, latencySeconds: s.latencySeconds });
            // Faults are on api's candidate only: a trigger on one service rolls back both.
            const faulty = service === "api";
            series.restarts({ namespace, pod: `${service}-green-5d9f8-abcde`, from, to, total: faulty && s.restartsTotal ? s.restartsTotal : () => 0 });
            series.restarts({ namespace, pod: `${service}-blue-7c4b2-fghij`, from, to, total: () => 0 });
            series.probes({ namespace, pod: `${service}-green-5d9f8-abcde`, from, to, failedTotal: faulty && s.failedProbesTotal ? s.failedProbesTotal : () => 0 });
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

async function promote(namespace: string, options: { settings?: PromotionSettings; from?: Date; weight?: number; metrics?: MetricsSource } = {}): Promise<Walked> {
    const clock = new SimulatedClock(options.from ?? scenarios[namespace].from ?? T0);
    const position = (service: string): ServicePosition => ({ service, activeColour: "blue", weight: options.weight ?? 0, finalize: false, protocol: "http" });
    const driver = new MemoryDriver({ namespace, services: services.map(position) }, { clock });
    const entries: RecordEntry[] = [];
    const result = await walk({
        settings: options.settings ?? short,
        services: [],
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
    const promql = renderQuery(check.query, { namespace, service: "api", colour: "green", window: settings.steps[0].watch });
    for (let t = from.getTime(); t <= to.getTime(); t += 5_000) {
        const { value } = await source.query(promql, new Date(t));
        if (value !== null && value > check.limit) return new Date(t);
    }
    throw new Error(`${trigger} never exceeds ${check.limit} in ${namespace}`);
}

const rollbackOf = (w: Walked) => w.entries.filter(e => e.event === "rollback");
const lastStepWeight = (w: Walked) => w.entries.filter(e => e.event === "step" && e.service === "api").pop()?.weight;

describe("promotion walk against a real Prometheus", () => {
    before(startScenarioPrometheus);
    after(async () => prometheus?.stop());

    it("promotes healthy services through the seed's four steps to finalize", async () => {
        const w = await promote("clean", { settings: seed });
        assert.equal(w.outcome, "promoted", w.reason);
        assert.deepEqual(w.driver.walked, [
            "advance api=5,websocket=5",
            "advance api=25,websocket=25",
            "advance api=50,websocket=50",
            "advance api=100,websocket=100",
            "finalize api=100F,websocket=100F",
        ]);
        assert.deepEqual(w.driver.applied.map(a => a.at), [at(0), at(5), at(15), at(30), at(40)].map(d => d.toISOString()));
        // Real PromQL computed the readings: no errors, p95 inside the 0.05 s bucket, the active colour the same.
        const gates = w.entries.find(e => e.event === "check" && "gate:errorRate" in e.values)?.values ?? {};
        assert.equal(gates["gate:errorRate"], 0);
        assert.ok((gates["gate:latencyP95Seconds"] as number) > 0 && (gates["gate:latencyP95Seconds"] as number) <= 0.05, JSON.stringify(gates));
        assert.equal(gates["comparison:latencyP95Seconds"], gates["active:latencyP95Seconds"]);
    });

    const triggers = [
        { trigger: "podRestarts", namespace: "restarts-at-5", weight: 5, stepStart: at(0) },
        { trigger: "errorRate", namespace: "errors-at-25", weight: 25, stepStart: at(2) },
        { trigger: "latencyP95Seconds", namespace: "latency-at-50", weight: 50, stepStart: at(4) },
        { trigger: "healthCheckFailures", namespace: "probes-at-100", weight: 100, stepStart: at(6) },
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
            const appeared = await breachAppears(namespace, trigger, stepStart, at(2, stepStart));
            const latency = new Date(rollback.at as string).getTime() - appeared.getTime();
            assert.ok(latency >= 0 && latency <= short.intervalMs, `acted ${latency / 1000}s after the breach appeared at ${appeared.toISOString()}`);
            assert.deepEqual(rollbackOf(w).map(e => `${e.service}@${e.weight}`), ["api@0", "websocket@0"]);
        });
    }

    it("holds (exit 3), never rolling back, when a gate fails without a trigger", async () => {
        const w = await promote("gate-fails");
        assert.equal(w.outcome, "held");
        assert.deepEqual(w.driver.walked, ["advance api=5,websocket=5"]);
        assert.match(w.reason, /gates not met over the 2m watch at 5 %: api gate:errorRate 0\.01 not below 0\.001/);
        assert.equal(rollbackOf(w).length, 0);
    });

    it("holds when the candidate is worse than the active colour by more than the margin, though under every absolute limit", async () => {
        const w = await promote("worse-than-active");
        assert.equal(w.outcome, "held");
        assert.match(w.reason, /api comparison:latencyP95Seconds 0\.4\d+ exceeds the active colour's 0\.04\d+ by more than 0\.05/);
        assert.ok(!/gate:latencyP95Seconds/.test(w.reason), "the absolute gate held");
    });

    it("never advances when Prometheus is down, and holds", async () => {
        const w = await promote("clean", { metrics: new PrometheusSource("http://127.0.0.1:9") });
        assert.equal(w.outcome, "held");
        assert.deepEqual(w.driver.applied, []);
        assert.match(w.reason, /Prometheus does not answer \(Prometheus unreachable at http:\/\/127\.0\.0\.1:9/);
    });

    it("holds when no data lasts as long as the watch: no data is not health", async () => {
        // This namespace's series end 7 minutes in, during the 100 % step (6 to 8 minutes).
        const w = await promote("data-stops");
        assert.equal(w.outcome, "held", w.reason);
        assert.match(w.reason, /no data at 100 % since .*no data is not health/);
        assert.deepEqual(w.driver.walked, ["advance api=5,websocket=5", "advance api=25,websocket=25", "advance api=50,websocket=50", "advance api=100,websocket=100"]);
        assert.equal(rollbackOf(w).length, 0);
    });

    it("holds at its weight when the deployment window closes mid-watch", async () => {
        const w = await promote("window-closes", { settings: seed });
        assert.equal(w.outcome, "held");
        assert.deepEqual(w.driver.walked, ["advance api=5,websocket=5"]);
        assert.match(w.reason, /window closed mid-watch \(14:00 is outside 10:00–14:00\); holding at 5 %/);
        assert.equal(w.entries.filter(e => e.event === "hold")[0].at, "2026-11-17T19:00:00.000Z");
    });

    it("resumes a step its runner died in: watches it again, then carries on", async () => {
        const w = await promote("resume-healthy", { weight: 25, from: at(2) });
        assert.equal(w.outcome, "promoted", w.reason);
        assert.deepEqual(w.driver.walked, ["advance api=50,websocket=50", "advance api=100,websocket=100", "finalize api=100F,websocket=100F"]);
        assert.equal(w.driver.applied[0].at, at(4).toISOString(), "25 % watched again for its whole 2 minutes");
    });

    it("resumes into a breach: rolls back at once, at the step the stack is at", async () => {
        const w = await promote("resume-breached", { weight: 50, from: at(2) });
        assert.equal(w.outcome, "rolledBack");
        assert.deepEqual(w.driver.walked, ["rollback api=0,websocket=0"]);
        assert.equal(w.driver.applied[0].at, at(2).toISOString(), "checked before waiting an interval");
        assert.match(w.reason, /at 50 %: api trigger:errorRate 0\.5 > 0\.05/);
    });

});
