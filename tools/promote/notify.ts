// The promotion's notifications through the team's channels, as plain HTTP: a Grafana annotation and a
// Slack message per decision, an Alertmanager silence over each watch, a PagerDuty event on rollback
// and at once when a rollback or withdrawal failed. Each channel runs only when the stack's config
// names it. A failed request, or a channel whose credential is missing, is a warning, never an
// exception: a notification must not stop a step, and above all never a rollback.
import { METRIC_LABELS } from "../../components/blueGreenService/metrics";
import { notificationCredentialEnv, PromotionConfig } from "../../stacks/config/promotion";
import { bodyExcerpt, fetchFailureReason, httpEndpoint } from "./http";
import { Notifier, PromotionEventKind } from "./types";

type Notifications = PromotionConfig["notifications"];

/** The config key of the notifications, as errors name it. */
const CONFIG_KEY = "trading-platform:promotion.notifications";
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const BODY_EXCERPT_CHARS = 200;
/** PagerDuty's limit on dedup_key. */
const DEDUP_KEY_MAX = 255;

/** The channel's credential from the environment, or undefined after one warning (the channel then stays silent). */
function credential(env: NodeJS.ProcessEnv, name: string, channel: string, warn: (line: string) => void): string | undefined {
    const value = env[name];
    if (value === undefined || value.trim() === "") {
        warn(
            `${name} is not set: ${CONFIG_KEY}.${channel} is configured, but sends nothing this run (the credential comes from the environment, never the stack's config; a notification never blocks a decision)`,
        );
        return undefined;
    }
    return value.trim();
}

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A regex matching exactly one of `values` (Alertmanager anchors regex matchers). */
const alternation = (values: string[]) => values.map(v => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");

/** Slack's mrkdwn reads `&`, `<` and `>` as markup: a reason quoting a PromQL selector must not become a link or a mention. */
const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** How a Slack message opens for each decision the walk annotates; a decision that ends the run says so. */
const slackHeadline: Record<PromotionEventKind, string> = {
    preflight: "pre-flight",
    smoke: "smoke tests",
    step: "step",
    check: "check",
    rollback: ":rotating_light: ROLLED BACK",
    withdraw: ":warning: withdrawn",
    hold: ":warning: held",
    promoted: ":white_check_mark: promoted",
    finalized: ":white_check_mark: promoted and finalized",
    failed: ":rotating_light: FAILED: a person must act now",
};
/** The decisions a mention calls someone for: traffic went back, or may not have. */
const SLACK_MENTION_EVENTS: readonly PromotionEventKind[] = ["rollback", "failed"];
/** Slack answers 429 with Retry-After; one more try within this. */
const SLACK_RETRY_AFTER_MAX_MS = 5_000;

export interface HttpNotifierOptions {
    requestTimeoutMs?: number;
    pageRetryDelaysMs?: number[];
    /** The stack the messages name (Slack). */
    stack?: string;
}

export function httpNotifier(
    config: Notifications,
    env: NodeJS.ProcessEnv,
    warn: (line: string) => void,
    options: HttpNotifierOptions = {},
): Notifier {
    const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    // A page that did not get through is sent again, with the same dedup key: PagerDuty keeps one incident.
    const pageRetryDelaysMs = options.pageRetryDelaysMs ?? [2_000, 5_000];
    // Read every credential first, warning once for each that is missing.
    const grafanaToken = config.grafana ? credential(env, notificationCredentialEnv.grafanaToken, "grafana", warn) : undefined;
    const routingKey = config.pagerduty ? credential(env, notificationCredentialEnv.pagerdutyRoutingKey, "pagerduty", warn) : undefined;
    let webhook = config.slack ? credential(env, notificationCredentialEnv.slackWebhookUrl, "slack", warn) : undefined;
    // The whole URL is the credential: its path as much as the URL (a message may quote either).
    const webhookPath = webhook && URL.canParse(webhook) ? new URL(webhook).pathname : undefined;
    const secrets = [grafanaToken, routingKey, webhook, webhookPath && webhookPath.length > 8 ? webhookPath : undefined].filter(
        (s): s is string => Boolean(s),
    );
    const redact = (text: string) => secrets.reduce((t, secret) => t.split(secret).join("***"), text);
    if (webhook && !(URL.canParse(webhook) && /^https?:$/.test(new URL(webhook).protocol))) {
        warn(`${notificationCredentialEnv.slackWebhookUrl} is not an http(s) URL (not shown): ${CONFIG_KEY}.slack sends nothing this run`);
        webhook = undefined;
    }

    /**
     * One request; the response's body text when its status is `accepts`, else undefined after one
     * warning. `shown` is how the warning names the URL (a webhook's URL is its credential: never itself).
     */
    async function send(
        what: string,
        method: string,
        url: string,
        headers: Record<string, string>,
        body: unknown,
        accepts: (status: number) => boolean,
        shown = url,
        retryAfterMs = (_response: Response): number | undefined => undefined,
    ): Promise<string | undefined> {
        let status: number;
        let text: string;
        try {
            let response = await fetch(url, request(method, headers, body));
            const wait = retryAfterMs(response);
            if (wait !== undefined) {
                await response.text();
                await pause(wait);
                response = await fetch(url, request(method, headers, body));
            }
            status = response.status;
            text = await response.text();
        } catch (error) {
            warn(redact(`${what}: ${method} ${shown} failed: ${fetchFailureReason(error, requestTimeoutMs)}`));
            return undefined;
        }
        if (!accepts(status)) {
            const excerpt = bodyExcerpt(text, BODY_EXCERPT_CHARS);
            warn(
                redact(
                    `${what}: ${method} ${shown} answered HTTP ${status}${excerpt ? `: ${JSON.stringify(excerpt)}` : " with an empty body"}`,
                ),
            );
            return undefined;
        }
        return text;
    }
    const request = (method: string, headers: Record<string, string>, body: unknown): RequestInit => ({
        method,
        headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const ok = (status: number) => status >= 200 && status < 300;

    const slack = config.slack && webhook ? { ...config.slack, webhook } : undefined;
    // GitHub Actions' run, when the promotion runs in one: where the whole record is.
    const runUrl =
        env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
            ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
            : undefined;
    /** A Slack message for one decision: what happened to which services, who is called, where the run is. */
    async function postToSlack(entry: Parameters<Notifier["annotate"]>[0]): Promise<void> {
        if (!slack) return;
        const mention = slack.mention && SLACK_MENTION_EVENTS.includes(entry.event) ? `${slack.mention} ` : "";
        const text =
            `${mention}${slackHeadline[entry.event]}: promotion of ${slackEscape(options.stack ?? "production")} (${slackEscape(entry.services.join(", "))}): ${slackEscape(entry.text)}` +
            (runUrl ? ` <${runUrl}|the run>` : "");
        const retryAfter = (response: Response) => {
            if (response.status !== 429) return undefined;
            const seconds = Number(response.headers.get("retry-after") ?? "1");
            return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, SLACK_RETRY_AFTER_MAX_MS) : 1000;
        };
        await send(
            `slack message to ${slack.channel}`,
            "POST",
            slack.webhook,
            {},
            { text },
            ok,
            `${notificationCredentialEnv.slackWebhookUrl} (not shown)`,
            retryAfter,
        );
    }

    const grafana = config.grafana && grafanaToken && { ...config.grafana, ...httpEndpoint(config.grafana.url) };
    const alertmanager = config.alertmanager && { ...config.alertmanager, ...httpEndpoint(config.alertmanager.url) };
    const pagerduty = config.pagerduty && routingKey && { ...config.pagerduty, ...httpEndpoint(config.pagerduty.url) };

    return {
        async annotate(entry) {
            await postToSlack(entry);
            if (!grafana) return;
            const body = {
                time: entry.at.getTime(),
                // Deduplicated: the default config tags already hold "promotion".
                tags: [...new Set([...grafana.tags, "promotion", entry.event, ...entry.services])],
                text: entry.text,
                ...(grafana.dashboardUid ? { dashboardUID: grafana.dashboardUid } : {}),
            };
            // The token replaces any Basic credentials of the URL: Grafana reads one Authorization header.
            await send(
                "grafana annotation",
                "POST",
                `${grafana.base}/api/annotations`,
                { ...grafana.headers, authorization: `Bearer ${grafanaToken}` },
                body,
                ok,
            );
        },

        async silence(entry) {
            if (!alertmanager) return undefined;
            const url = `${alertmanager.base}/api/v2/silences`;
            // No service would leave only the namespace matcher: a silence over every alert there.
            if (entry.services.length === 0) {
                warn(`alertmanager silence: POST ${url} not sent: expected at least one service to silence, found none`);
                return undefined;
            }
            const body = {
                matchers: [
                    { name: "namespace", value: entry.namespace, isRegex: false, isEqual: true },
                    { name: METRIC_LABELS.service, value: alternation(entry.services), isRegex: true, isEqual: true },
                ],
                startsAt: entry.from.toISOString(),
                endsAt: entry.until.toISOString(),
                createdBy: alertmanager.createdBy,
                comment: entry.comment,
            };
            const text = await send("alertmanager silence", "POST", url, alertmanager.headers, body, ok);
            if (text === undefined) return undefined;
            let silenceID: unknown;
            try {
                silenceID = (JSON.parse(text) as { silenceID?: unknown }).silenceID;
            } catch {
                // Reported below with the body.
            }
            if (typeof silenceID !== "string" || silenceID === "") {
                warn(
                    `alertmanager silence: POST ${url} answered without a silenceID: expected {"silenceID": "..."}, found ${JSON.stringify(text.trim().slice(0, BODY_EXCERPT_CHARS))}`,
                );
                return undefined;
            }
            return silenceID;
        },

        async expireSilence(id) {
            if (!alertmanager) return;
            await send(
                "alertmanager silence expiry",
                "DELETE",
                `${alertmanager.base}/api/v2/silence/${encodeURIComponent(id)}`,
                alertmanager.headers,
                undefined,
                ok,
            );
        },

        async page(entry) {
            if (!pagerduty) return;
            const services = [...entry.services];
            const kind = entry.urgent ? "act-now" : "rollback";
            const body = {
                routing_key: routingKey,
                event_action: "trigger",
                // One incident per decision: every retry of this page carries the same key.
                dedup_key: `npm-run-promote:${kind}:${services.join(",")}:${entry.at.toISOString()}`.slice(0, DEDUP_KEY_MAX),
                payload: {
                    summary:
                        `${entry.urgent ? "promotion needs a person now" : "promotion rolled back"} ${services.join(", ")}: ${entry.reason}`.slice(
                            0,
                            1024,
                        ),
                    source: "npm run promote",
                    // A failed rollback or withdrawal may leave live traffic on a bad candidate.
                    severity: entry.urgent ? "critical" : pagerduty.severity,
                    timestamp: entry.at.toISOString(),
                    component: services.join(","),
                    custom_details: { services, weight: entry.weight, reason: entry.reason },
                },
            };
            // The Events API answers 202 Accepted for an event it queued; anything else was not taken.
            for (let attempt = 0; ; attempt++) {
                const sent = await send("pagerduty event", "POST", pagerduty.base, pagerduty.headers, body, status => status === 202);
                if (sent !== undefined || attempt >= pageRetryDelaysMs.length) return;
                await pause(pageRetryDelaysMs[attempt]);
            }
        },
    };
}
