import { strict as assert } from "assert";
import { promotionSettings, PromotionSettings } from "../../../stacks/config/promotion";
import { SimulatedClock } from "../../../tools/promote/clock";
import { defaultFacts, Outcome, walk } from "../../../tools/promote/machine";
import { PrometheusSource, renderQuery } from "../../../tools/promote/prometheus";
import { quietNotifier } from "../../../tools/promote/quietNotifier";
import { MetricsSource, RecordEntry, ServicePosition } from "../../../tools/promote/types";
import { promotionWindow } from "../../../tools/promote/window";
import { MemoryDriver } from "../../support/memoryDriver";
import { MetricSeries } from "../../support/metricSeries";
import { startPrometheus } from "../../support/prometheus";

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
/** Two-minute steps: the same decisions as the seed's, in a quarter of the simulated time. */
const short = wideOpen({ ...promotionSettings(undefined), steps: [5, 25, 50, 100].map(weight => ({ weight, watch: "2m", watchMs: 120_000 })) });
const seed = wideOpen(promotionSettings(undefined));

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
    const promql = renderQuery(check.query, { namespace, service: "api", colour: "green", window: settings.steps[0].watch, excludedPaths: defaultFacts.excludedPaths });
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

    it("promotes healthy services through the seed's four steps to finalize", async () => {
        const w = await promote("clean", { settings: seed });
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
        assert.deepEqual(w.driver.applied.map(a => a.at), [at(0), at(0), at(5.5), at(16), at(31.5), at(42.5)].map(d => d.toISOString()));
        // Real PromQL computed the readings: no errors, p95 inside the 0.05 s bucket, the active colour the same.
        const gates = w.entries.find(e => e.event === "check" && "gate:errorRate" in e.values)?.values ?? {};
        assert.equal(gates["gate:errorRate"], 0);
        assert.ok((gates["gate:latencyP95Seconds"] as number) > 0 && (gates["gate:latencyP95Seconds"] as number) <= 0.05, JSON.stringify(gates));
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
            assert.ok(latency >= 0 && latency <= short.intervalMs, `acted ${latency / 1000}s after the breach appeared at ${appeared.toISOString()}`);
            assert.deepEqual(rollbackOf(w).map(e => `${e.service}@${e.weight}`), ["api@0", "websocket@0"]);
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
        const w = await promote("window-closes", { settings: seed });
        assert.equal(w.outcome, "withdrawn");
        assert.deepEqual(w.driver.walked, ["stage api=0,websocket=0", "advance api=5,websocket=5", "withdraw api=0,websocket=0"]);
        assert.match(w.reason, /window closed mid-watch \(14:00 is outside 10:00–14:00\) at 5 %/);
        assert.equal(w.entries.filter(e => e.event === "withdraw")[0].at, "2026-11-17T19:00:00.000Z");
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
        assert.match(w.reason, /at api 50 %, websocket 50 %: api trigger:errorRate 0\.5 > 0\.05/);
    });
});
