import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { defaultComparisons, defaultGates, defaultTrafficQuery, defaultTriggers, QueryPlaceholder } from "../../../stacks/config/promotion";
import { defaultFacts } from "../../../tools/promote/machine";
import { PrometheusSource, renderQuery } from "../../../tools/promote/prometheus";
import { expectedQuantile, LATENCY_BUCKETS, MetricSeries } from "../../support/metricSeries";
import { RunningPrometheus, startPrometheus } from "../../support/prometheus";
import { freePort } from "../../support/loopbackServer";

// The metrics source against a real Prometheus (Debian's 2.42) backfilled with an hour of series on a
// past Tuesday, so the default queries of stacks/config/promotion.ts run as real PromQL over known numbers.

const T0 = new Date("2026-11-17T15:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const NS = "trading-prod";
const OTHER_NS = "trading-staging";

function series(): MetricSeries {
    const from = T0;
    const to = at(60);
    const s = new MetricSeries();
    for (const namespace of [NS, OTHER_NS]) {
        const other = namespace === OTHER_NS;
        s.httpTraffic({ namespace, service: "api", colour: "blue", from, to, errorRatio: () => (other ? 0.4 : 0.02) });
        s.httpTraffic({ namespace, service: "api", colour: "green", from, to, latencySeconds: () => 0.3 });
        s.httpTraffic({ namespace, service: "websocket", colour: "blue", from, to, latencySeconds: () => 0.07 });
        s.httpTraffic({ namespace, service: "websocket", colour: "green", from, to, latencySeconds: () => 7 });
        s.httpTraffic({ namespace, service: "idle", colour: "green", from, to, requestsPerSecond: 0 });
        // The kubelet probes both colours of "probed" alike, and its green readiness fails with 500s; clients
        // send 19 requests a second to blue and 1 to green: green's share of client requests is 5 %.
        s.httpTraffic({ namespace, service: "probed", colour: "blue", from, to, requestsPerSecond: 19, path: "/api/orders" });
        s.httpTraffic({ namespace, service: "probed", colour: "green", from, to, requestsPerSecond: 1, path: "/api/orders" });
        s.httpTraffic({ namespace, service: "probed", colour: "blue", from, to, requestsPerSecond: 5, path: "/readyz" });
        s.httpTraffic({
            namespace,
            service: "probed",
            colour: "green",
            from,
            to,
            requestsPerSecond: 5,
            path: "/readyz",
            errorRatio: () => 0.5,
        });
        // Two candidate pods restart (2, then 1 more at 15:25); the active colour's pod never does.
        s.restarts({ namespace, pod: "api-green-5d9f8-abcde", from, to, total: t => (t >= at(20) ? 2 : 0) });
        s.restarts({ namespace, pod: "api-green-5d9f8-vwxyz", from, to, total: t => (t >= at(25) ? 1 : 0) });
        s.restarts({ namespace, pod: "api-blue-7c4b2-fghij", from, to, total: () => 0 });
        s.probes({ namespace, pod: "api-green-5d9f8-abcde", from, to, failedTotal: t => (t >= at(45) ? 8 : t >= at(40) ? 3 : 0) });
    }
    return s;
}

type Vars = Partial<Record<QueryPlaceholder, string>>;
const vars = (v: Vars = {}): Record<QueryPlaceholder, string> => ({
    namespace: NS,
    service: "api",
    colour: "green",
    window: "5m",
    excludedPaths: defaultFacts.excludedPaths,
    ...v,
});

async function listen(server: http.Server | net.Server): Promise<string> {
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

const close = (server: http.Server | net.Server) => new Promise(resolve => server.close(resolve));

describe("PrometheusSource against a real Prometheus", () => {
    let prometheus: RunningPrometheus;
    let source: PrometheusSource;
    const read = (query: string, v: Vars, time: Date) => source.query(renderQuery(query, vars(v)), time);
    const valueOf = async (query: string, v: Vars, time: Date) => {
        const reading = await read(query, v, time);
        assert.equal(
            reading.samples.length,
            1,
            `${renderQuery(query, vars(v))} at ${time.toISOString()}: ${reading.error ?? JSON.stringify(reading.samples)}`,
        );
        assert.equal(reading.error, undefined);
        return reading.samples[0].value;
    };
    const near = (actual: number, expected: number, tolerance = 1e-9) =>
        assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected} (± ${tolerance}), found ${actual}`);

    before(async function () {
        this.timeout(120_000);
        const text = series().toOpenMetrics();
        const started = process.hrtime.bigint();
        prometheus = await startPrometheus(text);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        console.log(`      (backfill and startup of prometheus: ${Math.round(ms)} ms)`);
        source = new PrometheusSource(`${prometheus.url}/`);
    });
    after(async () => prometheus?.stop());

    it("serves the backfilled blocks: raw samples read back exactly, per namespace", async () => {
        const raw = (namespace: string, code: string) =>
            `http_requests_total{namespace="${namespace}",service="api",colour="blue",code="${code}"}`;
        // 20 requests/s for 15 s per scrape, 2 % of them errors.
        assert.equal((await source.query(raw(NS, "200"), at(0.25))).samples[0].value, 294);
        assert.equal((await source.query(raw(NS, "500"), at(60))).samples[0].value, 240 * 6);
        assert.equal((await source.query(raw(OTHER_NS, "500"), at(60))).samples[0].value, 240 * 120);
        // A fractional time is sent as such: 15:00:15.5 still reads the 15:00:15 sample.
        assert.equal((await source.query(raw(NS, "200"), new Date(at(0.25).getTime() + 500))).samples[0].value, 294);
    });

    it("computes the error ratio with the default errorRate trigger, gate and comparison", async () => {
        for (const query of [defaultTriggers.errorRate.query, defaultGates.errorRate.query, defaultComparisons.errorRate.query]) {
            near(await valueOf(query, { colour: "blue" }, at(30)), 0.02);
            near(await valueOf(query, { colour: "blue", namespace: OTHER_NS }, at(30)), 0.4);
            assert.equal(await valueOf(query, { colour: "green" }, at(30)), 0);
        }
        // The gate reads its window: 5m and 30m agree on a steady ratio.
        near(await valueOf(defaultGates.errorRate.query, { colour: "blue", window: "30m" }, at(45)), 0.02);
    });

    it("computes p95 inside the latency's bucket, interpolated linearly, with the default latency queries", async () => {
        const cases = [
            { service: "api", colour: "blue", latency: 0.05, p95: 0.0475 },
            { service: "api", colour: "green", latency: 0.3, p95: 0.4875 },
            { service: "websocket", colour: "blue", latency: 0.07, p95: 0.0975 },
            { service: "websocket", colour: "green", latency: 7, p95: 5 }, // the +Inf bucket: the highest finite bound
        ];
        for (const { service, colour, latency, p95 } of cases) {
            near(expectedQuantile(latency), p95);
            for (const query of [
                defaultTriggers.latencyP95Seconds.query,
                defaultGates.latencyP95Seconds.query,
                defaultComparisons.latencyP95Seconds.query,
            ]) {
                near(await valueOf(query, { service, colour }, at(30)), p95);
            }
        }
        assert.ok(expectedQuantile(0.3) < defaultGates.latencyP95Seconds.below, "0.3 s passes the 0.5 s gate");
        assert.ok(expectedQuantile(7) > defaultTriggers.latencyP95Seconds.above, "7 s fires the 2 s trigger");
    });

    it("counts the candidate's restarts over the window across its pods, not the active colour's", async () => {
        const restarts = defaultTriggers.podRestarts.query;
        // 15:17:30 to 15:27:30: both pods restarted (2 + 1); increase() may extrapolate a little.
        near(await valueOf(restarts, { window: "10m" }, at(27.5)), 3, 0.1);
        near(await valueOf(restarts, { window: "5m" }, at(22.5)), 2, 0.1);
        assert.equal(await valueOf(restarts, { window: "5m" }, at(50)), 0);
        assert.equal(await valueOf(restarts, { colour: "blue", window: "10m" }, at(27.5)), 0);
    });

    it("counts failed readiness probes over the window, 0 for pods without any", async () => {
        const failures = defaultTriggers.healthCheckFailures.query;
        near(await valueOf(failures, { window: "10m" }, at(47.5)), 8, 0.2);
        near(await valueOf(failures, { window: "5m" }, at(42.5)), 3, 0.1);
        assert.equal(await valueOf(failures, { window: "5m" }, at(30)), 0);
        // No probe series at all for websocket: `or vector(0)` reads 0, not no data.
        assert.equal(await valueOf(failures, { service: "websocket", window: "5m" }, at(47.5)), 0);
    });

    it("judges client requests only: the kubelet's probes reach every colour alike and never make a share, an error or a latency", async () => {
        near(await valueOf(defaultTrafficQuery, { service: "probed" }, at(30)), 5, 1e-6);
        assert.equal(
            await valueOf(defaultTriggers.errorRate.query, { service: "probed" }, at(30)),
            0,
            "the failing readiness probes are no client's errors",
        );
        // Counting every request, green's share would read 20 % and its error rate 36 %.
        const all = (q: string) => q.replace(/,path!~"[^"]*"/g, "");
        near(await valueOf(all(defaultTrafficQuery), { service: "probed" }, at(30)), 20, 1e-6);
        near(await valueOf(all(defaultTriggers.errorRate.query), { service: "probed" }, at(30)), 2.5 / 6, 1e-6);
    });

    it("reads the candidate's share of client requests, in percent, from the default traffic query", async () => {
        near(await valueOf(defaultTrafficQuery, { service: "api" }, at(30)), 50, 1e-6);
        assert.ok(Number.isNaN(await valueOf(defaultTrafficQuery, { service: "idle" }, at(30))), "no client traffic at all: NaN, no data");
    });

    it("answers no series, saying so, for an empty result: an unknown service, or a time before the series", async () => {
        assert.deepEqual(await read(defaultGates.errorRate.query, { service: "missing" }, at(30)), {
            samples: [],
            error: "the query returned no series",
        });
        assert.deepEqual(await read(defaultGates.latencyP95Seconds.query, {}, at(-30)), {
            samples: [],
            error: "the query returned no series",
        });
    });

    it("answers NaN as a value when a service had no traffic in the range (the judges take it for no data)", async () => {
        const reading = await read(defaultGates.errorRate.query, { service: "idle" }, at(30));
        assert.equal(reading.samples.length, 1);
        assert.ok(Number.isNaN(reading.samples[0].value));
    });

    it("answers every series with its labels, so a trigger can fire on any one of them", async () => {
        const reading = await source.query(
            `sum by (pod) (increase(kube_pod_container_status_restarts_total{namespace="${NS}",pod=~"api-green-.*"}[10m]))`,
            at(28),
        );
        assert.deepEqual(reading.samples.map(s => [s.labels.pod, Math.round(s.value)]).sort(), [
            ["api-green-5d9f8-abcde", 2],
            ["api-green-5d9f8-vwxyz", 1],
        ]);
    });

    it("reads a scalar, and refuses a range vector as a shape no check can judge", async () => {
        assert.deepEqual(
            await source.query(`scalar(sum(rate(http_requests_total{namespace="${NS}",service="api",colour="blue"}[5m])))`, at(30)),
            { samples: [{ labels: {}, value: 20 }] },
        );
        const matrix = await source.query(`http_requests_total{namespace="${NS}",service="api",colour="blue",code="200"}[1m]`, at(30));
        assert.equal(matrix.failure, "shape");
        assert.match(matrix.error ?? "", /returned a matrix: expected an instant vector or a scalar/);
    });

    it("says Prometheus refused bad PromQL, with its own error", async () => {
        const reading = await source.query("sum(rate(http_requests_total[5m]", at(30));
        assert.equal(reading.failure, "refused");
        assert.match(reading.error ?? "", /^Prometheus refused the query \(HTTP 400, bad_data\): .*parse error/);
    });

    it("says 'unreachable' once the server is stopped", async () => {
        const url = prometheus.url;
        await prometheus.stop();
        const reading = await source.query("vector(1)", at(30));
        assert.equal(reading.failure, "unreachable");
        assert.match(reading.error ?? "", new RegExp(`^Prometheus unreachable at ${url.replace(/\./g, "\\.")}: .*ECONNREFUSED`));
        await prometheus.stop(); // twice is harmless
    });
});

describe("PrometheusSource failures without a Prometheus", () => {
    it("answers null 'unreachable' for a port nothing listens on, with the URL as given minus its trailing slash", async () => {
        const port = await freePort();
        const source = new PrometheusSource(`http://127.0.0.1:${port}/`);
        assert.equal(source.url, `http://127.0.0.1:${port}`);
        assert.deepEqual(await source.query("vector(1)", new Date()), {
            samples: [],
            failure: "unreachable",
            error: `Prometheus unreachable at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
        });
    });

    it("answers null 'unreachable' when the server accepts but never answers, after the request timeout", async () => {
        const sockets: net.Socket[] = [];
        const silent = net.createServer(socket => sockets.push(socket));
        const address = await listen(silent);
        try {
            // The server never answers, so any timeout ends the same way; a short one keeps the test quick.
            const reading = await new PrometheusSource(`http://${address}`, { requestTimeoutMs: 300 }).query("vector(1)", new Date());
            assert.deepEqual(reading, {
                samples: [],
                failure: "unreachable",
                error: `Prometheus unreachable at http://${address}: no answer within 0.3 s`,
            });
        } finally {
            sockets.forEach(s => s.destroy());
            await close(silent);
        }
    });

    it("answers null for a body that is not the query API's, and sends URL credentials as Basic auth without printing them", async () => {
        const seen: { url?: string; authorization?: string }[] = [];
        const proxy = http.createServer((request, response) => {
            seen.push({ url: request.url, authorization: request.headers.authorization });
            response.writeHead(502, { "content-type": "text/html" }).end("<html><body>Bad gateway</body></html>");
        });
        const address = await listen(proxy);
        try {
            const reading = await new PrometheusSource(`http://reader:s3cret@${address}/prometheus/`).query(
                'up{job="x"}',
                new Date(1_795_446_000_500),
            );
            assert.equal(reading.failure, "unreachable");
            assert.equal(
                reading.error,
                `Prometheus at http://${address}/prometheus answered HTTP 502 with a body that is not the query API's JSON: "<html><body>Bad gateway</body></html>"`,
            );
            assert.ok(!/s3cret/.test(reading.error ?? ""));
            assert.deepEqual(seen, [
                {
                    url: "/prometheus/api/v1/query?query=up%7Bjob%3D%22x%22%7D&time=1795446000.5",
                    authorization: `Basic ${Buffer.from("reader:s3cret").toString("base64")}`,
                },
            ]);
        } finally {
            await close(proxy);
        }
    });
});

describe("renderQuery", () => {
    it("fills every placeholder, spaces inside the braces allowed, as often as it appears", () => {
        assert.equal(
            renderQuery(
                'rate(x{namespace="{{namespace}}",svc="{{ service }}",c="{{colour}}",pod=~"{{service}}-{{  colour}}-.*"}[{{window }}])',
                vars({ window: "10m" }),
            ),
            'rate(x{namespace="trading-prod",svc="api",c="green",pod=~"api-green-.*"}[10m])',
        );
    });

    it("renders every default query with no placeholder left", () => {
        for (const check of [
            ...Object.values(defaultTriggers),
            ...Object.values(defaultGates),
            ...Object.values(defaultComparisons),
            { query: defaultTrafficQuery },
        ]) {
            const rendered = renderQuery(check.query, vars());
            assert.ok(!/[{]{2}|[}]{2}/.test(rendered), rendered);
            assert.ok(rendered.includes('namespace="trading-prod"'), rendered);
        }
    });

    it("throws on an unknown placeholder, naming it and the known ones", () => {
        assert.throws(
            () => renderQuery('sum(x{pod=~"{{ pod }}"})', vars()),
            /query placeholder \{\{pod\}\}: expected one of \{\{namespace\}\}, \{\{service\}\}, \{\{colour\}\}, \{\{window\}\}, \{\{excludedPaths\}\}/,
        );
        assert.throws(() => renderQuery("{{}}", vars()), /query placeholder \{\{\}\}/);
    });

    it("throws on a value that would break out of its label string", () => {
        assert.throws(
            () => renderQuery('x{service="{{service}}"}', vars({ service: 'api"} or vector(0) #' })),
            /expected a value without quotes/,
        );
        assert.throws(() => renderQuery("x[{{window}}]", vars({ window: "" })), /expected a value, found ""/);
    });
});

describe("MetricSeries", () => {
    const from = new Date("2026-11-17T15:00:00Z");
    const to = new Date("2026-11-17T15:01:00Z");
    /** Two namespaces, their calls interleaved across families, as a test's setup writes them. */
    const mixed = () =>
        new MetricSeries()
            .httpTraffic({ namespace: "a", service: "api", colour: "blue", from, to })
            .restarts({ namespace: "a", pod: "api-blue-1", from, to, total: () => 0 })
            .probes({ namespace: "a", pod: "api-blue-1", from, to, failedTotal: () => 0 })
            .httpTraffic({ namespace: "b", service: "api", colour: "green", from, to, errorRatio: () => 0.5, latencySeconds: () => 0.2 })
            .restarts({ namespace: "b", pod: "api-green-1", from, to, total: t => (t > from ? 1 : 0) })
            .toOpenMetrics();

    it("writes each family once with its samples together, each series in time order, # EOF last", () => {
        const lines = mixed().trimEnd().split("\n");
        assert.equal(lines[lines.length - 1], "# EOF");
        const types = new Map<string, string>();
        const lastTime = new Map<string, number>();
        let family = "";
        for (const line of lines.slice(0, -1)) {
            const type = /^# TYPE (\S+) (counter|histogram)$/.exec(line);
            if (type) {
                assert.ok(!types.has(type[1]), `family ${type[1]} declared twice`);
                types.set(type[1], type[2]);
                family = type[1];
                continue;
            }
            if (line.startsWith("# HELP ")) {
                assert.ok(line.startsWith(`# HELP ${family} `), line);
                continue;
            }
            const sample = /^([a-z_]+)(\{[^}]*\}) (\S+) (\d+(?:\.\d+)?)$/.exec(line);
            assert.ok(sample, `not a sample line: ${line}`);
            const [, name, labels, , time] = sample;
            const suffixes = types.get(family) === "counter" ? ["_total"] : ["_bucket", "_count", "_sum"];
            assert.ok(
                suffixes.some(s => name === family + s),
                `${name} outside its family (under ${family})`,
            );
            const key = name + labels;
            assert.ok((lastTime.get(key) ?? -1) < Number(time), `${key} out of time order at ${time}`);
            lastTime.set(key, Number(time));
        }
        assert.deepEqual(
            [...types],
            [
                ["http_requests", "counter"],
                ["http_request_duration_seconds", "histogram"],
                ["kube_pod_container_status_restarts", "counter"],
                ["prober_probe", "counter"],
            ],
        );
        // 5 scrapes of 2 codes × 2 namespaces; the histogram's buckets, count and sum for each.
        assert.equal(lines.filter(l => l.startsWith("http_requests_total{")).length, 20);
        assert.equal(lines.filter(l => l.startsWith("http_request_duration_seconds_bucket{")).length, 2 * 5 * LATENCY_BUCKETS.length);
        assert.ok(
            lines.includes('http_requests_total{namespace="b",service="api",colour="green",code="500"} 600 1794927660'),
            "b's errors after a minute",
        );
        assert.ok(lines.includes('kube_pod_container_status_restarts_total{namespace="b",pod="api-green-1",container="app"} 1 1794927615'));
        assert.ok(
            lines.includes(
                'prober_probe_total{namespace="a",pod="api-blue-1",container="app",probe_type="Readiness",result="failed"} 0 1794927660',
            ),
        );
    });

    it("writes cumulative histogram buckets, every request of an interval in its latency's bucket", () => {
        const lines = mixed().split("\n");
        const point = (time: string) =>
            lines
                .filter(l => l.startsWith("http_request_duration_seconds") && l.includes('namespace="b"') && l.endsWith(` ${time}`))
                .map(l => l.replace(/namespace="b",service="api",colour="green",?/, ""));
        assert.deepEqual(point("1794927630"), [
            'http_request_duration_seconds_bucket{le="0.05"} 0 1794927630',
            'http_request_duration_seconds_bucket{le="0.1"} 0 1794927630',
            'http_request_duration_seconds_bucket{le="0.25"} 600 1794927630',
            'http_request_duration_seconds_bucket{le="0.5"} 600 1794927630',
            'http_request_duration_seconds_bucket{le="1"} 600 1794927630',
            'http_request_duration_seconds_bucket{le="2"} 600 1794927630',
            'http_request_duration_seconds_bucket{le="5"} 600 1794927630',
            'http_request_duration_seconds_bucket{le="+Inf"} 600 1794927630',
            "http_request_duration_seconds_count{} 600 1794927630",
            "http_request_duration_seconds_sum{} 120 1794927630",
        ]);
    });

    it("refuses the same series twice, and ratios outside 0 to 1", () => {
        const s = new MetricSeries().restarts({ namespace: "a", pod: "p", from, to, total: () => 0 });
        assert.throws(
            () => s.restarts({ namespace: "a", pod: "p", from, to, total: () => 1 }),
            /series kube_pod_container_status_restarts\{namespace="a",pod="p",container="app"\} written twice/,
        );
        assert.throws(
            () => new MetricSeries().httpTraffic({ namespace: "a", service: "s", colour: "blue", from, to, errorRatio: () => 2 }),
            /errorRatio at .*: expected 0 to 1, found 2/,
        );
    });
});

describe("startPrometheus", () => {
    it("fails fast with the server's stderr when it exits instead of becoming ready", async () => {
        // Stand-ins: a promtool that succeeds and a prometheus that refuses its config at once.
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "trading-platform-fake-prometheus-"));
        fs.writeFileSync(path.join(bin, "promtool"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
        fs.writeFileSync(path.join(bin, "prometheus"), '#!/bin/sh\necho "err=\\"error loading config\\"" >&2\nexit 1\n', { mode: 0o755 });
        const saved = process.env.PATH;
        process.env.PATH = `${bin}${path.delimiter}${saved}`;
        const started = Date.now();
        try {
            await assert.rejects(startPrometheus("# EOF\n"), /^Error: prometheus did not start: exited \(1\)\nerr="error loading config"$/);
            assert.ok(Date.now() - started < 30_000, "not the 60 s outer limit");
        } finally {
            process.env.PATH = saved;
            fs.rmSync(bin, { recursive: true, force: true });
        }
    });
});
