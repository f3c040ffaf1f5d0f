// Metric series written as the cluster would have scraped them, for backfilling a throwaway Prometheus
// (`promtool tsdb create-blocks-from openmetrics`, test/support/prometheus.ts), so tests run the
// promotion's real PromQL over known numbers. Names and labels are those the default queries in
// stacks/config/promotion.ts read.
//
// What the queries compute from these series:
// - error rate: exactly errorRatio (both codes' counters grow linearly, so rate()'s extrapolation cancels
//   in the ratio); NaN (no data for the promotion) when requestsPerSecond is 0.
// - p95 latency: every request of a scrape interval takes latencySeconds(t), so all of a window's
//   requests share one bucket (lo, hi], and histogram_quantile interpolates linearly inside it:
//   lo + 0.95 × (hi − lo), not the latency itself (0.05 → 0.0475, 0.3 → 0.4875, 3 → 4.85; above 5 s,
//   the +Inf bucket, it answers 5). `expectedQuantile` computes it. A window mixing two latencies
//   gives a value between.
// - increase() of restarts and failed probes: the cumulative totals' difference over the window, give or
//   take rate()'s extrapolation to the window's edges.

/** The services' latency histogram buckets (seconds), as their client libraries expose them. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, Infinity] as const;

/** What histogram_quantile(q, …) answers when every request in the window took `latencySeconds`. */
export function expectedQuantile(latencySeconds: number, q = 0.95): number {
    const index = LATENCY_BUCKETS.findIndex(le => latencySeconds <= le);
    const hi = LATENCY_BUCKETS[index];
    if (hi === Infinity) return LATENCY_BUCKETS[LATENCY_BUCKETS.length - 2];
    const lo = index === 0 ? 0 : LATENCY_BUCKETS[index - 1];
    return lo + (hi - lo) * q;
}

type Labels = Record<string, string>;
interface CounterPoint {
    t: number;
    value: number;
}
interface HistogramPoint {
    t: number;
    /** Cumulative counts, one per LATENCY_BUCKETS entry. */
    buckets: number[];
    count: number;
    sum: number;
}
type Family =
    | { type: "counter"; help: string; metrics: Map<string, { labels: Labels; points: CounterPoint[] }> }
    | { type: "histogram"; help: string; metrics: Map<string, { labels: Labels; points: HistogramPoint[] }> };

interface Span {
    from: Date;
    to: Date;
    everySeconds?: number;
}

/** Scrape instants from `from` to `to` inclusive, every `everySeconds`. */
function instants({ from, to, everySeconds = 15 }: Span): Date[] {
    if (!(everySeconds > 0)) throw new Error(`everySeconds: expected a positive number, found ${everySeconds}`);
    if (!(from.getTime() <= to.getTime())) {
        throw new Error(`series span: expected from (${from.toISOString()}) at or before to (${to.toISOString()})`);
    }
    const out: Date[] = [];
    for (let t = from.getTime(); t <= to.getTime(); t += everySeconds * 1000) out.push(new Date(t));
    return out;
}

// OpenMetrics label values escape backslash, double quote and newline.
const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labelText = (labels: Labels) =>
    `{${Object.entries(labels)
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(",")}}`;
// Go's float syntax, which promtool parses; timestamps in seconds.
const numberText = (n: number) => (Number.isNaN(n) ? "NaN" : n === Infinity ? "+Inf" : n === -Infinity ? "-Inf" : String(n));
const seconds = (t: number) => String(t / 1000);
const seriesKey = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export class MetricSeries {
    // Insertion order: each family written once, its series together, each series' points in time order.
    private readonly families = new Map<string, Family>();

    /** A service colour's requests: `http_requests_total` by code 200/500 and the latency histogram. */
    httpTraffic(o: {
        namespace: string;
        service: string;
        colour: string;
        from: Date;
        to: Date;
        everySeconds?: number;
        requestsPerSecond?: number;
        errorRatio?: (t: Date) => number;
        latencySeconds?: (t: Date) => number;
        /** The request path label (the services' `path`); absent unless given. */
        path?: string;
    }): this {
        const every = o.everySeconds ?? 15;
        const perScrape = (o.requestsPerSecond ?? 20) * every;
        const errorRatio = o.errorRatio ?? (() => 0);
        const latency = o.latencySeconds ?? (() => 0.05);
        const base = { namespace: o.namespace, service: o.service, colour: o.colour, ...(o.path ? { path: o.path } : {}) };
        // Both codes from the start (a client that initialises its labels), so rates never start mid-window.
        const ok: CounterPoint[] = [];
        const failed: CounterPoint[] = [];
        const histogram: HistogramPoint[] = [];
        let okTotal = 0;
        let failedTotal = 0;
        let last: HistogramPoint = { t: 0, buckets: LATENCY_BUCKETS.map(() => 0), count: 0, sum: 0 };
        instants(o).forEach((at, i) => {
            // The first instant is the process' first scrape: counters at zero. Each later one counts the
            // requests of the interval that ends there, all with that instant's ratio and latency.
            if (i > 0) {
                const ratio = errorRatio(at);
                if (!(ratio >= 0 && ratio <= 1)) throw new Error(`errorRatio at ${at.toISOString()}: expected 0 to 1, found ${ratio}`);
                const took = latency(at);
                if (!(took >= 0)) throw new Error(`latencySeconds at ${at.toISOString()}: expected 0 or more, found ${took}`);
                failedTotal += perScrape * ratio;
                okTotal += perScrape - perScrape * ratio;
                last = {
                    t: at.getTime(),
                    buckets: last.buckets.map((n, b) => (took <= LATENCY_BUCKETS[b] ? n + perScrape : n)),
                    count: last.count + perScrape,
                    sum: last.sum + perScrape * took,
                };
            }
            ok.push({ t: at.getTime(), value: okTotal });
            failed.push({ t: at.getTime(), value: failedTotal });
            histogram.push({ ...last, t: at.getTime() });
        });
        this.counter("http_requests", "Requests served, by status code.", { ...base, code: "200" }, ok);
        this.counter("http_requests", "Requests served, by status code.", { ...base, code: "500" }, failed);
        this.addSeries(
            "http_request_duration_seconds",
            this.family("http_request_duration_seconds", "histogram", "Request latency."),
            base,
            histogram,
        );
        return this;
    }

    /** kube-state-metrics' restart count of a pod's `app` container; `total` is the cumulative count at t. */
    restarts(o: { namespace: string; pod: string; from: Date; to: Date; everySeconds?: number; total: (t: Date) => number }): this {
        const points = instants(o).map(at => ({ t: at.getTime(), value: o.total(at) }));
        this.counter(
            "kube_pod_container_status_restarts",
            "Container restarts.",
            { namespace: o.namespace, pod: o.pod, container: "app" },
            points,
        );
        return this;
    }

    /**
     * The kubelet's readiness probe results of a pod's `app` container; `failedTotal` is the cumulative
     * failures at t. Successes: one probe every 10 s (the kubelet's default period) that did not fail.
     */
    probes(o: { namespace: string; pod: string; from: Date; to: Date; everySeconds?: number; failedTotal: (t: Date) => number }): this {
        const failed: CounterPoint[] = [];
        const successful: CounterPoint[] = [];
        let succeeded = 0;
        for (const at of instants(o)) {
            const failures = o.failedTotal(at);
            const probed = Math.floor((at.getTime() - o.from.getTime()) / 10_000);
            succeeded = Math.max(succeeded, probed - failures);
            failed.push({ t: at.getTime(), value: failures });
            successful.push({ t: at.getTime(), value: succeeded });
        }
        const base = { namespace: o.namespace, pod: o.pod, container: "app", probe_type: "Readiness" };
        this.counter("prober_probe", "Probe results.", { ...base, result: "failed" }, failed);
        this.counter("prober_probe", "Probe results.", { ...base, result: "successful" }, successful);
        return this;
    }

    /** The whole exposition: one TYPE per family, its samples together, `# EOF` last. */
    toOpenMetrics(): string {
        const lines: string[] = [];
        for (const [name, family] of this.families) {
            lines.push(`# TYPE ${name} ${family.type}`, `# HELP ${name} ${family.help}`);
            if (family.type === "counter") {
                for (const { labels, points } of family.metrics.values()) {
                    const series = `${name}_total${labelText(labels)}`;
                    for (const p of points) lines.push(`${series} ${numberText(p.value)} ${seconds(p.t)}`);
                }
            } else {
                // One MetricPoint per instant: its buckets, count and sum together.
                for (const { labels, points } of family.metrics.values()) {
                    const count = `${name}_count${labelText(labels)}`;
                    const sum = `${name}_sum${labelText(labels)}`;
                    const buckets = LATENCY_BUCKETS.map(le => `${name}_bucket${labelText({ ...labels, le: numberText(le) })}`);
                    for (const p of points) {
                        const at = seconds(p.t);
                        p.buckets.forEach((n, b) => lines.push(`${buckets[b]} ${numberText(n)} ${at}`));
                        lines.push(`${count} ${numberText(p.count)} ${at}`, `${sum} ${numberText(p.sum)} ${at}`);
                    }
                }
            }
        }
        lines.push("# EOF");
        return lines.join("\n") + "\n";
    }

    private counter(name: string, help: string, labels: Labels, points: CounterPoint[]): void {
        this.addSeries(name, this.family(name, "counter", help), labels, points);
    }

    private family(name: string, type: Family["type"], help: string): Family {
        let family = this.families.get(name);
        if (!family) {
            family = type === "counter" ? { type, help, metrics: new Map() } : { type, help, metrics: new Map() };
            this.families.set(name, family);
        }
        if (family.type !== type) throw new Error(`metric family ${name}: expected type ${family.type}, found ${type}`);
        return family;
    }

    private addSeries(name: string, family: Family, labels: Labels, points: CounterPoint[] | HistogramPoint[]): void {
        const key = seriesKey(labels);
        // A second call for the same series would restart its counters: say so rather than write a reset.
        if (family.metrics.has(key)) {
            throw new Error(`series ${name}${labelText(labels)} written twice: expected each namespace, service, colour and pod once`);
        }
        (family.metrics as Map<string, { labels: Labels; points: typeof points }>).set(key, { labels, points });
    }
}
