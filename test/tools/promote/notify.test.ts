import { strict as assert } from "assert";
import * as http from "http";
import * as net from "net";
import { promotionSchema } from "../../../stacks/config/promotion";
import { httpNotifier as notifierWithRetries } from "../../../tools/promote/notify";
import { RunningAlertmanager, startAlertmanager } from "../../support/alertmanager";
import { freePort } from "../../support/loopbackServer";
import { startSlackWebhook } from "../../support/slackWebhook";

// The notifier's requests, byte for byte: Grafana and PagerDuty against a local server that records
// what it is sent, Alertmanager against the real server (Debian's 0.25), and every failure a warning.

const TOKEN = "glsa_secret-grafana-token-1234";
const ROUTING_KEY = "R0UT1NGKEY-secret-5678";
const ENV = { GRAFANA_API_TOKEN: TOKEN, PAGERDUTY_ROUTING_KEY: ROUTING_KEY };
const AT = new Date("2026-11-17T15:05:00Z");

/** The notifications section as the stack's config validation leaves it (defaults filled in). */
const notifications = (section: unknown) => promotionSchema.parse({ notifications: section }).notifications;
/** The notifier with no page retries, unless a test asks for them: one request per call. */
const httpNotifier = (
    config: Parameters<typeof notifierWithRetries>[0],
    env: NodeJS.ProcessEnv,
    warn: (line: string) => void,
    options: Parameters<typeof notifierWithRetries>[3] = {},
) => notifierWithRetries(config, env, warn, { pageRetryDelaysMs: [], ...options });

interface Received {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
}

/** A local server recording every request and answering `status` with `body`. */
async function recorder(status: number, body: string | ((r: Received) => string) = "{}") {
    const received: Received[] = [];
    const server = http.createServer((req, res) => {
        let text = "";
        req.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        req.on("end", () => {
            const r = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: text };
            received.push(r);
            res.writeHead(status, { "content-type": "application/json" }).end(typeof body === "function" ? body(r) : body);
        });
    });
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    return { url, received, close: () => new Promise(resolve => server.close(resolve)) };
}

/** Counts the process' fetch calls while `body` runs. */
async function countingFetches(body: () => Promise<void>): Promise<number> {
    const original = globalThis.fetch;
    let calls = 0;
    globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
        calls += 1;
        return original(...args);
    }) as typeof fetch;
    try {
        await body();
    } finally {
        globalThis.fetch = original;
    }
    return calls;
}

describe("httpNotifier", () => {
    describe("Grafana annotations", () => {
        it("posts one annotation with the bearer token, the tags and the dashboard", async () => {
            const server = await recorder(200, '{"id":1,"message":"Annotation added"}');
            try {
                const warnings: string[] = [];
                const notifier = httpNotifier(
                    notifications({ grafana: { url: `${server.url}/`, dashboardUid: "trading-overview", tags: ["release", "promotion"] } }),
                    ENV,
                    w => warnings.push(w),
                );
                await notifier.annotate({
                    at: AT,
                    services: ["api", "websocket"],
                    weight: 25,
                    event: "step",
                    text: "api, websocket at 25 %",
                });
                assert.deepEqual(warnings, []);
                assert.equal(server.received.length, 1);
                const [r] = server.received;
                assert.equal(r.method, "POST");
                assert.equal(r.url, "/api/annotations");
                assert.equal(r.headers.authorization, `Bearer ${TOKEN}`);
                assert.equal(r.headers["content-type"], "application/json");
                assert.deepEqual(JSON.parse(r.body), {
                    time: AT.getTime(),
                    tags: ["release", "promotion", "step", "api", "websocket"],
                    text: "api, websocket at 25 %",
                    dashboardUID: "trading-overview",
                });
            } finally {
                await server.close();
            }
        });

        it("sends an organisation annotation (no dashboardUID) with the default tags when no dashboard is named", async () => {
            const server = await recorder(200);
            try {
                const notifier = httpNotifier(notifications({ grafana: { url: server.url } }), ENV, w =>
                    assert.fail(`unexpected warning: ${w}`),
                );
                await notifier.annotate({
                    at: AT,
                    services: ["api"],
                    weight: 0,
                    event: "rollback",
                    text: "rolled back to 0 %: gate:errorRate 0.2",
                });
                assert.deepEqual(JSON.parse(server.received[0].body), {
                    time: AT.getTime(),
                    tags: ["promotion", "rollback", "api"],
                    text: "rolled back to 0 %: gate:errorRate 0.2",
                });
            } finally {
                await server.close();
            }
        });
    });

    describe("PagerDuty events", () => {
        it("triggers one Events API v2 event with the routing key, and takes 202 as sent", async () => {
            const server = await recorder(202, '{"status":"success","message":"Event processed","dedup_key":"x"}');
            try {
                const warnings: string[] = [];
                const notifier = httpNotifier(
                    notifications({ pagerduty: { url: `${server.url}/v2/enqueue`, severity: "error" } }),
                    ENV,
                    w => warnings.push(w),
                );
                await notifier.page({ at: AT, services: ["api", "websocket"], weight: 0, reason: "trigger:errorRate 0.2 above 0.05" });
                assert.deepEqual(warnings, []);
                assert.equal(server.received.length, 1);
                const [r] = server.received;
                assert.equal(r.method, "POST");
                assert.equal(r.url, "/v2/enqueue");
                assert.equal(r.headers.authorization, undefined, "the routing key travels in the body, no Authorization header");
                assert.equal(r.headers["content-type"], "application/json");
                assert.deepEqual(JSON.parse(r.body), {
                    routing_key: ROUTING_KEY,
                    event_action: "trigger",
                    dedup_key: "npm-run-promote:rollback:api,websocket:2026-11-17T15:05:00.000Z",
                    payload: {
                        summary: "promotion rolled back api, websocket: trigger:errorRate 0.2 above 0.05",
                        source: "npm run promote",
                        severity: "error",
                        timestamp: "2026-11-17T15:05:00.000Z",
                        component: "api,websocket",
                        custom_details: { services: ["api", "websocket"], weight: 0, reason: "trigger:errorRate 0.2 above 0.05" },
                    },
                });
            } finally {
                await server.close();
            }
        });

        it("warns when the Events API answers anything but 202", async () => {
            const server = await recorder(200, '{"status":"success"}');
            try {
                const warnings: string[] = [];
                await httpNotifier(notifications({ pagerduty: { url: server.url } }), ENV, w => warnings.push(w)).page({
                    at: AT,
                    services: ["api"],
                    weight: 5,
                    reason: "r",
                });
                assert.deepEqual(warnings, [`pagerduty event: POST ${server.url} answered HTTP 200: "{\\"status\\":\\"success\\"}"`]);
            } finally {
                await server.close();
            }
        });
    });

    describe("PagerDuty retries", () => {
        it("sends a page that did not get through again with the same dedup key, and marks a failed rollback critical", async () => {
            let answered = 0;
            const server = await recorder(503, () => (++answered < 3 ? "busy" : "{}"));
            try {
                const warnings: string[] = [];
                const notifier = notifierWithRetries(
                    notifications({ pagerduty: { url: server.url, severity: "warning" } }),
                    ENV,
                    w => warnings.push(w),
                    { pageRetryDelaysMs: [10, 10] },
                );
                await notifier.page({ at: AT, services: ["api"], weight: 25, reason: "the rollback update failed", urgent: true });
                assert.equal(server.received.length, 3, "the first try and two retries");
                const bodies = server.received.map(r => JSON.parse(r.body));
                assert.deepEqual(new Set(bodies.map(b => b.dedup_key)), new Set(["npm-run-promote:act-now:api:2026-11-17T15:05:00.000Z"]));
                assert.deepEqual(
                    bodies.map(b => b.payload.severity),
                    ["critical", "critical", "critical"],
                );
                assert.match(bodies[0].payload.summary, /^promotion needs a person now api: the rollback update failed/);
                assert.equal(warnings.length, 3);
            } finally {
                await server.close();
            }
        });
    });

    describe("Alertmanager silences against a real Alertmanager", () => {
        let alertmanager: RunningAlertmanager;
        before(async function () {
            this.timeout(120_000);
            const started = process.hrtime.bigint();
            alertmanager = await startAlertmanager();
            console.log(`      (startup of alertmanager: ${Math.round(Number(process.hrtime.bigint() - started) / 1e6)} ms)`);
        });
        after(async () => alertmanager?.stop());

        type Silence = {
            id: string;
            status: { state: string };
            matchers: unknown[];
            startsAt: string;
            endsAt: string;
            createdBy: string;
            comment: string;
        };
        const silences = async (): Promise<Silence[]> => (await fetch(`${alertmanager.url}/api/v2/silences`)).json() as Promise<Silence[]>;

        it("creates a silence on the namespace and the services, active until the watch ends, and expires it", async () => {
            const warnings: string[] = [];
            const notifier = httpNotifier(notifications({ alertmanager: { url: alertmanager.url } }), {}, w => warnings.push(w));
            const from = new Date();
            const until = new Date(from.getTime() + 10 * 60_000);
            const id = await notifier.silence({
                namespace: "trading-prod",
                services: ["api", "websocket"],
                from,
                until,
                comment: "npm run promote: api, websocket at 5 %",
            });
            assert.deepEqual(warnings, []);
            assert.equal(typeof id, "string");

            const created = (await silences()).find(s => s.id === id);
            assert.ok(created, `silence ${id} not listed by GET /api/v2/silences`);
            assert.equal(created.status.state, "active");
            assert.deepEqual(created.matchers, [
                { name: "namespace", value: "trading-prod", isRegex: false, isEqual: true },
                { name: "service", value: "api|websocket", isRegex: true, isEqual: true },
            ]);
            assert.equal(new Date(created.endsAt).getTime(), until.getTime());
            assert.ok(new Date(created.startsAt).getTime() >= from.getTime(), `startsAt ${created.startsAt} before ${from.toISOString()}`);
            assert.equal(created.createdBy, "npm run promote");
            assert.equal(created.comment, "npm run promote: api, websocket at 5 %");

            await notifier.expireSilence(id as string);
            assert.deepEqual(warnings, []);
            const expired = (await silences()).find(s => s.id === id);
            assert.equal(expired?.status.state, "expired");
        });

        it("silences exactly the listed services of the namespace (regex escaped and anchored)", async () => {
            const notifier = httpNotifier(notifications({ alertmanager: { url: alertmanager.url, createdBy: "release-bot" } }), {}, w =>
                assert.fail(`unexpected warning: ${w}`),
            );
            const from = new Date();
            const id = await notifier.silence({
                namespace: "trading-prod",
                services: ["api", "web.socket"],
                from,
                until: new Date(from.getTime() + 60_000),
                comment: "c",
            });
            const alert = (namespace: string, service: string) => ({
                labels: { alertname: "HighErrorRate", namespace, service },
                startsAt: from.toISOString(),
            });
            const posted = await fetch(`${alertmanager.url}/api/v2/alerts`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify([
                    alert("trading-prod", "api"),
                    alert("trading-prod", "web.socket"),
                    alert("trading-prod", "webxsocket"),
                    alert("trading-prod", "api-gateway"),
                    alert("trading-staging", "api"),
                ]),
            });
            assert.equal(posted.status, 200, await posted.text());
            type Alert = { labels: Record<string, string>; status: { state: string; silencedBy: string[] } };
            const alerts = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as Alert[];
            const stateOf = Object.fromEntries(
                alerts.map(a => [
                    `${a.labels.namespace}/${a.labels.service}`,
                    a.status.silencedBy.includes(id as string) ? "silenced" : a.status.state,
                ]),
            );
            assert.deepEqual(stateOf, {
                "trading-prod/api": "silenced",
                "trading-prod/web.socket": "silenced",
                "trading-prod/webxsocket": "active",
                "trading-prod/api-gateway": "active",
                "trading-staging/api": "active",
            });
            const created = (await silences()).find(s => s.id === id);
            assert.equal((created?.matchers[1] as { value: string }).value, "api|web\\.socket");
            assert.equal(created?.createdBy, "release-bot");
            await notifier.expireSilence(id as string);
        });

        it("warns and returns no id when Alertmanager refuses the silence, and when expiring an unknown one", async () => {
            const warnings: string[] = [];
            const notifier = httpNotifier(notifications({ alertmanager: { url: alertmanager.url } }), {}, w => warnings.push(w));
            const past = new Date(Date.now() - 3_600_000);
            const id = await notifier.silence({
                namespace: "trading-prod",
                services: ["api"],
                from: past,
                until: new Date(past.getTime() + 60_000),
                comment: "c",
            });
            assert.equal(id, undefined);
            await notifier.expireSilence("00000000-0000-0000-0000-000000000000");
            assert.equal(warnings.length, 2, warnings.join("\n"));
            assert.match(
                warnings[0],
                new RegExp(`^alertmanager silence: POST ${alertmanager.url}/api/v2/silences answered HTTP 400: ".*in the past`),
            );
            assert.match(
                warnings[1],
                new RegExp(
                    `^alertmanager silence expiry: DELETE ${alertmanager.url}/api/v2/silence/00000000-0000-0000-0000-000000000000 answered HTTP (404|500)`,
                ),
            );
        });
    });

    describe("failures never throw", () => {
        it("warns on an HTTP 500 with the channel, URL, status and body, never the token or routing key", async () => {
            // The server echoes the request: a careless warning would print the credentials it carries.
            const server = await recorder(500, r => JSON.stringify({ error: "boom", auth: r.headers.authorization, body: r.body }));
            try {
                const warnings: string[] = [];
                const notifier = httpNotifier(
                    notifications({
                        grafana: { url: server.url },
                        pagerduty: { url: `${server.url}/v2/enqueue` },
                        alertmanager: { url: server.url },
                    }),
                    ENV,
                    w => warnings.push(w),
                );
                await notifier.annotate({ at: AT, services: ["api"], weight: 5, event: "step", text: "api at 5 %" });
                await notifier.page({ at: AT, services: ["api"], weight: 0, reason: "r" });
                assert.equal(await notifier.silence({ namespace: "n", services: ["api"], from: AT, until: AT, comment: "c" }), undefined);
                await notifier.expireSilence("abc");
                assert.equal(warnings.length, 4, warnings.join("\n"));
                assert.match(warnings[0], new RegExp(`^grafana annotation: POST ${server.url}/api/annotations answered HTTP 500: ".*boom`));
                assert.match(warnings[1], new RegExp(`^pagerduty event: POST ${server.url}/v2/enqueue answered HTTP 500: ".*boom`));
                assert.match(
                    warnings[2],
                    new RegExp(`^alertmanager silence: POST ${server.url}/api/v2/silences answered HTTP 500: ".*boom`),
                );
                assert.match(
                    warnings[3],
                    new RegExp(`^alertmanager silence expiry: DELETE ${server.url}/api/v2/silence/abc answered HTTP 500`),
                );
                for (const w of warnings) {
                    assert.ok(!w.includes(TOKEN) && !w.includes(ROUTING_KEY), `a warning shows a credential: ${w}`);
                }
                assert.ok(warnings[0].includes("Bearer ***"), `the echoed token is redacted: ${warnings[0]}`);
            } finally {
                await server.close();
            }
        });

        it("warns when the channel is unreachable", async () => {
            const url = `http://127.0.0.1:${await freePort()}`;
            const warnings: string[] = [];
            const notifier = httpNotifier(notifications({ grafana: { url }, pagerduty: { url }, alertmanager: { url } }), ENV, w =>
                warnings.push(w),
            );
            await notifier.annotate({ at: AT, services: ["api"], weight: 5, event: "step", text: "t" });
            await notifier.page({ at: AT, services: ["api"], weight: 0, reason: "r" });
            assert.equal(await notifier.silence({ namespace: "n", services: ["api"], from: AT, until: AT, comment: "c" }), undefined);
            assert.deepEqual(
                warnings.map(w => w.replace(/failed: .*/, "failed: …")),
                [
                    `grafana annotation: POST ${url}/api/annotations failed: …`,
                    `pagerduty event: POST ${url} failed: …`,
                    `alertmanager silence: POST ${url}/api/v2/silences failed: …`,
                ],
            );
            for (const w of warnings) assert.match(w, /ECONNREFUSED/);
        });

        it("gives up on a channel that does not answer after the request timeout", async () => {
            const sockets: net.Socket[] = [];
            const silent = net.createServer(socket => sockets.push(socket));
            await new Promise<void>(resolve => silent.listen(0, "127.0.0.1", resolve));
            const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
            try {
                const warnings: string[] = [];
                await httpNotifier(notifications({ grafana: { url } }), ENV, w => warnings.push(w), { requestTimeoutMs: 300 }).annotate({
                    at: AT,
                    services: ["api"],
                    weight: 5,
                    event: "step",
                    text: "t",
                });
                assert.deepEqual(warnings, [`grafana annotation: POST ${url}/api/annotations failed: no answer within 0.3 s`]);
            } finally {
                sockets.forEach(s => s.destroy());
                await new Promise(resolve => silent.close(resolve));
            }
        });

        it("keeps credentials in a URL out of the warnings, sending them as Basic auth", async () => {
            const server = await recorder(503, "unavailable");
            try {
                const warnings: string[] = [];
                const withUser = server.url.replace("http://", "http://promote:s3cret@");
                await httpNotifier(notifications({ alertmanager: { url: withUser } }), {}, w => warnings.push(w)).expireSilence("abc");
                assert.equal(server.received[0].headers.authorization, `Basic ${Buffer.from("promote:s3cret").toString("base64")}`);
                assert.deepEqual(warnings, [
                    `alertmanager silence expiry: DELETE ${server.url}/api/v2/silence/abc answered HTTP 503: "unavailable"`,
                ]);
            } finally {
                await server.close();
            }
        });
    });

    describe("configuration", () => {
        it("warns once, never throws, for a configured Grafana without GRAFANA_API_TOKEN, and sends it nothing: a notification never blocks a decision", async () => {
            const warnings: string[] = [];
            const calls = await countingFetches(async () => {
                const notifier = httpNotifier(
                    notifications({ grafana: { url: "https://grafana.example.com" } }),
                    { PAGERDUTY_ROUTING_KEY: ROUTING_KEY },
                    w => warnings.push(w),
                );
                await notifier.annotate({ at: AT, services: ["api"], weight: 5, event: "step", text: "t" });
            });
            assert.equal(calls, 0);
            assert.equal(warnings.length, 1);
            assert.match(
                warnings[0],
                /^GRAFANA_API_TOKEN is not set: trading-platform:promotion\.notifications\.grafana is configured, but sends nothing this run/,
            );
        });

        it("warns for a configured PagerDuty without PAGERDUTY_ROUTING_KEY (an empty value counts as missing)", () => {
            const warnings: string[] = [];
            httpNotifier(notifications({ pagerduty: {} }), { GRAFANA_API_TOKEN: TOKEN, PAGERDUTY_ROUTING_KEY: " " }, w => warnings.push(w));
            assert.match(
                warnings.join("\n"),
                /^PAGERDUTY_ROUTING_KEY is not set: trading-platform:promotion\.notifications\.pagerduty is configured/,
            );
        });

        it("needs no credential for Alertmanager, nor for channels not configured", () => {
            httpNotifier(notifications({ alertmanager: { url: "http://alertmanager:9093" } }), {}, () => undefined);
            httpNotifier(notifications({}), {}, () => undefined);
        });

        it("sends nothing on channels that are not configured", async () => {
            const warnings: string[] = [];
            const calls = await countingFetches(async () => {
                const notifier = httpNotifier(notifications({}), ENV, w => warnings.push(w));
                await notifier.annotate({ at: AT, services: ["api"], weight: 5, event: "step", text: "t" });
                assert.equal(await notifier.silence({ namespace: "n", services: ["api"], from: AT, until: AT, comment: "c" }), undefined);
                await notifier.expireSilence("abc");
                await notifier.page({ at: AT, services: ["api"], weight: 0, reason: "r" });
            });
            assert.equal(calls, 0);
            assert.deepEqual(warnings, []);
        });

        it("sends only on the configured channel", async () => {
            const server = await recorder(200);
            try {
                const notifier = httpNotifier(notifications({ grafana: { url: server.url } }), ENV, w =>
                    assert.fail(`unexpected warning: ${w}`),
                );
                const calls = await countingFetches(async () => {
                    await notifier.annotate({ at: AT, services: ["api"], weight: 5, event: "step", text: "t" });
                    assert.equal(
                        await notifier.silence({ namespace: "n", services: ["api"], from: AT, until: AT, comment: "c" }),
                        undefined,
                    );
                    await notifier.expireSilence("abc");
                    await notifier.page({ at: AT, services: ["api"], weight: 0, reason: "r" });
                });
                assert.equal(calls, 1);
                assert.deepEqual(
                    server.received.map(r => `${r.method} ${r.url}`),
                    ["POST /api/annotations"],
                );
            } finally {
                await server.close();
            }
        });
    });
});

describe("httpNotifier: Slack", () => {
    const AT_STEP = { at: AT, services: ["api", "websocket"], weight: 25, event: "step" as const, text: "api 25 %, websocket 25 %" };
    const slackConfig = (slack: unknown = { channel: "#trading-deploys", mention: "<!subteam^S0123ABCD>" }) => notifications({ slack });
    const run = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "synaptic-platform/trading-platform", GITHUB_RUN_ID: "4242" };

    it("posts one message per decision over real HTTP: what, which services, the stack, the run; the mention only when traffic went back or may not have", async () => {
        const slack = await startSlackWebhook();
        try {
            const webhook = slack.webhook("posts");
            const warnings: string[] = [];
            const notifier = httpNotifier(slackConfig(), { SLACK_WEBHOOK_URL: webhook, ...run }, w => warnings.push(w), {
                stack: "production",
            });
            await notifier.annotate(AT_STEP);
            await notifier.annotate({
                at: AT,
                services: ["api"],
                weight: 0,
                event: "rollback",
                text: 'rolled back to 0 %: at 25 %: api trigger:errorRate 0.09 > 0.05 on {code="500"} & more',
            });
            await notifier.annotate({ at: AT, services: ["api"], weight: 100, event: "finalized", text: "api finalized" });
            assert.deepEqual(warnings, []);
            assert.deepEqual(
                slack.posts.map(p => p.path),
                Array(3).fill(new URL(webhook).pathname),
            );
            assert.ok(slack.posts.every(p => p.contentType === "application/json"));
            assert.deepEqual(
                slack.posts.map(p => p.text),
                [
                    "step: promotion of production (api, websocket): api 25 %, websocket 25 % <https://github.com/synaptic-platform/trading-platform/actions/runs/4242|the run>",
                    // Slack's markup characters escaped: a quoted selector is text, never a link or a mention.
                    '<!subteam^S0123ABCD> :rotating_light: ROLLED BACK: promotion of production (api): rolled back to 0 %: at 25 %: api trigger:errorRate 0.09 &gt; 0.05 on {code="500"} &amp; more <https://github.com/synaptic-platform/trading-platform/actions/runs/4242|the run>',
                    ":white_check_mark: promoted and finalized: promotion of production (api): api finalized <https://github.com/synaptic-platform/trading-platform/actions/runs/4242|the run>",
                ],
            );
        } finally {
            await slack.close();
        }
    });

    it("a failed post is one warning naming the channel and Slack's answer, never the webhook; the other channels still get theirs", async () => {
        const slack = await startSlackWebhook(() => ({ status: 404, body: "no_service" }));
        const grafana = await recorder(200, '{"id":1}');
        try {
            const webhook = slack.webhook("failing");
            const warnings: string[] = [];
            const notifier = httpNotifier(
                { ...slackConfig(), grafana: { url: grafana.url, tags: ["promotion"] } },
                { ...ENV, SLACK_WEBHOOK_URL: webhook },
                w => warnings.push(w),
            );
            await notifier.annotate(AT_STEP);
            assert.deepEqual(warnings, [
                'slack message to #trading-deploys: POST SLACK_WEBHOOK_URL (not shown) answered HTTP 404: "no_service"',
            ]);
            assert.equal(grafana.received.length, 1, "Grafana annotated all the same");
            // Nothing listening: the socket's error, still without the URL.
            const closed = slack.webhook("closed").replace(slack.url, `http://127.0.0.1:${await freePort()}`);
            const refused: string[] = [];
            await httpNotifier(slackConfig(), { SLACK_WEBHOOK_URL: closed }, w => refused.push(w)).annotate(AT_STEP);
            assert.equal(refused.length, 1);
            assert.match(refused[0], /^slack message to #trading-deploys: POST SLACK_WEBHOOK_URL \(not shown\) failed: .*ECONNREFUSED/);
            for (const line of [...warnings, ...refused]) {
                for (const secret of [webhook, new URL(webhook).pathname, closed, new URL(closed).pathname]) {
                    assert.ok(!line.includes(secret), line);
                }
            }
        } finally {
            await slack.close();
            await grafana.close();
        }
    });

    it("waits out Slack's rate limit once (Retry-After), then posts", async () => {
        const slack = await startSlackWebhook((_path, attempt) =>
            attempt === 1 ? { status: 429, body: "rate_limited", headers: { "retry-after": "0" } } : { status: 200, body: "ok" },
        );
        try {
            const warnings: string[] = [];
            await httpNotifier(slackConfig(), { SLACK_WEBHOOK_URL: slack.webhook("limited") }, w => warnings.push(w)).annotate(AT_STEP);
            assert.deepEqual(warnings, []);
            assert.equal(slack.posts.length, 2);
        } finally {
            await slack.close();
        }
    });

    it("without SLACK_WEBHOOK_URL, or with one that is no URL, warns once without quoting it and sends nothing", async () => {
        const missing: string[] = [];
        const calls = await countingFetches(async () => {
            const notifier = httpNotifier(slackConfig(), {}, w => missing.push(w));
            await notifier.annotate(AT_STEP);
        });
        assert.equal(calls, 0);
        assert.deepEqual(missing, [
            "SLACK_WEBHOOK_URL is not set: trading-platform:promotion.notifications.slack is configured, but sends nothing this run (the credential comes from the environment, never the stack's config; a notification never blocks a decision)",
        ]);
        const malformed: string[] = [];
        const value = "hooks.slack.com/services/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";
        assert.equal(
            await countingFetches(() =>
                httpNotifier(slackConfig(), { SLACK_WEBHOOK_URL: value }, w => malformed.push(w)).annotate(AT_STEP),
            ),
            0,
        );
        assert.deepEqual(malformed, [
            "SLACK_WEBHOOK_URL is not an http(s) URL (not shown): trading-platform:promotion.notifications.slack sends nothing this run",
        ]);
    });
});
