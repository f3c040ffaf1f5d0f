// A cluster's metrics as Prometheus would scrape them, for the live end-to-end test of the promotion
// (test/support/trafficExporter.ts starts it; plain Node.js, its own process, so a busy test process
// never delays a scrape). Per namespace (one per scenario), service and colour:
// - client requests (`http_requests_total{path="/api/orders"}`) at 100 a second per service, split by
//   the load balancer's weights: the weights last deployed, as the test tells it (POST /weights);
// - the kubelet's readiness probes (`path="/readyz"`) at 2 a second on every colour alike, whatever the
//   weights: a share or an error rate counted over all requests would be wrong;
// - the latency histogram of the client requests (20 ms each), kube-state-metrics' restarts and the
//   kubelet's probe results per pod (`<service>-<colour>-7d4f9-x2k8q`).
// Faults (POST /faults): a colour's client error ratio, from a weight on. Counters grow with wall time,
// integrated at each scrape, so a late scrape reads the right totals.
"use strict";
const http = require("http");

const CLIENT_RPS = 100;
const PROBE_RPS = 2;
const LATENCY = 0.02;
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5];

/** namespace → service → { blue, green }: the share of client requests each colour gets, in percent. */
const weights = {};
/** namespace → service → colour → { errorRatio, fromWeight }. */
const faults = {};
/** key → running totals. */
const totals = new Map();
let last = Date.now();

function advance() {
    const now = Date.now();
    const seconds = (now - last) / 1000;
    last = now;
    for (const [namespace, services] of Object.entries(weights)) {
        for (const [service, colours] of Object.entries(services)) {
            for (const [colour, weight] of Object.entries(colours)) {
                const fault = faults[namespace]?.[service]?.[colour];
                const errorRatio = fault && weight >= fault.fromWeight ? fault.errorRatio : 0;
                const t = total(namespace, service, colour);
                const requests = ((CLIENT_RPS * weight) / 100) * seconds;
                t.ok += requests * (1 - errorRatio);
                t.failed += requests * errorRatio;
                t.probes += PROBE_RPS * seconds;
                t.probed += seconds / 10;
            }
        }
    }
}

function total(namespace, service, colour) {
    const key = `${namespace}/${service}/${colour}`;
    if (!totals.has(key)) totals.set(key, { namespace, service, colour, ok: 0, failed: 0, probes: 0, probed: 0 });
    return totals.get(key);
}

const labels = object =>
    `{${Object.entries(object)
        .map(([k, v]) => `${k}="${v}"`)
        .join(",")}}`;

function exposition() {
    advance();
    const lines = [
        "# TYPE http_requests_total counter",
        "# TYPE http_request_duration_seconds histogram",
        "# TYPE kube_pod_container_status_restarts_total counter",
        "# TYPE prober_probe_total counter",
    ];
    for (const t of totals.values()) {
        const base = { namespace: t.namespace, service: t.service, colour: t.colour };
        const client = { ...base, path: "/api/orders" };
        lines.push(`http_requests_total${labels({ ...client, code: "200" })} ${t.ok}`);
        lines.push(`http_requests_total${labels({ ...client, code: "500" })} ${t.failed}`);
        lines.push(`http_requests_total${labels({ ...base, path: "/readyz", code: "200" })} ${t.probes}`);
        const count = t.ok + t.failed;
        for (const le of BUCKETS) {
            lines.push(`http_request_duration_seconds_bucket${labels({ ...client, le: String(le) })} ${LATENCY <= le ? count : 0}`);
        }
        lines.push(`http_request_duration_seconds_bucket${labels({ ...client, le: "+Inf" })} ${count}`);
        lines.push(
            `http_request_duration_seconds_count${labels(client)} ${count}`,
            `http_request_duration_seconds_sum${labels(client)} ${count * LATENCY}`,
        );
        const pod = { namespace: t.namespace, pod: `${t.service}-${t.colour}-7d4f9-x2k8q`, container: "app" };
        lines.push(`kube_pod_container_status_restarts_total${labels(pod)} 0`);
        lines.push(`prober_probe_total${labels({ ...pod, probe_type: "Readiness", result: "successful" })} ${Math.floor(t.probed)}`);
        lines.push(`prober_probe_total${labels({ ...pod, probe_type: "Readiness", result: "failed" })} 0`);
    }
    return `${lines.join("\n")}\n`;
}

function merge(into, from) {
    for (const [namespace, services] of Object.entries(from)) {
        into[namespace] ??= {};
        for (const [service, value] of Object.entries(services)) into[namespace][service] = value;
    }
}

const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", chunk => (body += chunk));
    request.on("end", () => {
        if (request.method === "GET" && request.url === "/metrics") {
            response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition());
            return;
        }
        if (request.method === "POST" && (request.url === "/weights" || request.url === "/faults")) {
            // Everything served so far was served at the old weights.
            advance();
            merge(request.url === "/weights" ? weights : faults, JSON.parse(body));
            response.writeHead(204).end();
            return;
        }
        if (request.method === "GET" && request.url === "/weights") {
            response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(weights));
            return;
        }
        response.writeHead(404).end();
    });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));
// The test's exit ends the exporter too.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
