import { z } from "zod";
import { METRIC_LABELS } from "../../components/blueGreenService";
import { PROMETHEUS_IN_CLUSTER_URL } from "../../components/clusterAddons";
import { CANARY_WEIGHTS, colourObjectName, EnvironmentName, environments, Protocol, PROTOCOLS } from "../../platform";
import { ConfigProblem } from "./errors";
import { durationMs } from "./primitives";

export { durationMs } from "./primitives";

// The metric-gated promotion (`npm run promote`, docs/runbook.md): how often it looks, how long each
// canary step is watched, what rolls a release back at once, what must hold to advance, and how it
// checks that the load balancer really moved the traffic.

/**
 * Placeholders a query may use; the promotion fills them per service and colour. `excludedPaths` is a
 * regex of the request paths no client makes (the service's probe paths and the metrics path).
 */
export const QUERY_PLACEHOLDERS = ["namespace", "service", "colour", "window", "excludedPaths"] as const;
export type QueryPlaceholder = (typeof QUERY_PLACEHOLDERS)[number];

/**
 * Fills a query template's placeholders (QUERY_PLACEHOLDERS: `{{namespace}}`, `{{service}}`, `{{colour}}`,
 * `{{window}}`, `{{excludedPaths}}`; spaces inside the braces allowed). Throws on any other placeholder,
 * and on a value that would break out of the PromQL string it is placed in.
 */
export function renderQuery(template: string, vars: Record<QueryPlaceholder, string>): string {
    return template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_match, name: string) => {
        if (!(QUERY_PLACEHOLDERS as readonly string[]).includes(name)) {
            throw new Error(
                `query placeholder {{${name}}}: expected one of ${QUERY_PLACEHOLDERS.map(p => `{{${p}}}`).join(", ")}, in ${JSON.stringify(template)}`,
            );
        }
        const value = vars[name as QueryPlaceholder];
        if (typeof value !== "string" || value === "") {
            throw new Error(`query placeholder {{${name}}}: expected a value, found ${JSON.stringify(value)}`);
        }
        if (/["\\\n`]/.test(value)) {
            throw new Error(
                `query placeholder {{${name}}}: expected a value without quotes, backslashes or newlines, found ${JSON.stringify(value)}`,
            );
        }
        return value;
    });
}

/** A Prometheus duration the promotion can also sleep on: 30s, 5m, 1h (one unit). */
const duration = z
    .string({ error: "a duration such as 30s, 5m or 1h" })
    .regex(/^[1-9][0-9]*(ms|s|m|h)$/, { error: "a duration such as 30s, 5m or 1h" })
    .meta({ title: "duration (`500ms`, `30s`, `5m`)" });

const query = z
    .string()
    .min(1)
    .refine(text => [...text.matchAll(/\{\{\s*([A-Za-z]+)\s*\}\}/g)].every(m => (QUERY_PLACEHOLDERS as readonly string[]).includes(m[1])), {
        error: `a PromQL template using only ${QUERY_PLACEHOLDERS.map(p => `{{${p}}}`).join(", ")}`,
    })
    .meta({ title: "PromQL template" });
const metricName = z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: "a name such as errorRate" })
    .meta({ title: "name" });
const url = z.url({ protocol: /^https?$/, error: "an http(s) URL" }).meta({ title: "http(s) URL" });

// Series the services expose (`http_requests_total` with `code` and `path`, `http_request_duration_seconds_bucket`
// with `path`), labelled with `namespace`, `service` and `colour` by the services' PodMonitor;
// kube-state-metrics' restarts and the kubelet's probe results are labelled by pod, whose name starts
// `<service>-<colour>-`. Client traffic is every request but the kubelet's probes and Prometheus' scrapes.
const clients = `${METRIC_LABELS.path}!~"{{excludedPaths}}"`;
const serviceSelector = `namespace="{{namespace}}",${METRIC_LABELS.service}="{{service}}"`;
const selector = `${serviceSelector},${METRIC_LABELS.colour}="{{colour}}",${clients}`;
const podSelector = `namespace="{{namespace}}",pod=~"${colourObjectName("{{service}}", "{{colour}}")}-.*"`;
// `or vector(0)`: a service exposes a code="500" series only after its first error, and the kubelet a
// failed-probe series only after the first failure; no traffic at all still reads as no data.
const errorRateOver = (range: string) =>
    `(sum(rate(http_requests_total{${selector},code=~"5.."}[${range}])) or vector(0)) / sum(rate(http_requests_total{${selector}}[${range}]))`;
const latencyP95Over = (range: string) =>
    `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[${range}])))`;

/**
 * The triggers' range: four scrape intervals at the default 30 s (SCRAPE_INTERVAL), so one late scrape
 * never empties it, and short enough that a breach shows within a few intervals.
 */
const TRIGGER_RANGE = "2m";

/** The protocols whose clients send HTTP requests: the checks over `http_requests_total` judge only those. */
const HTTP_ONLY: Protocol[] = ["http"];
const EVERY_PROTOCOL: Protocol[] = [...PROTOCOLS];

/**
 * The design's automatic rollback triggers (error rate > 5 %, p95 > 2 s, more than 3 pod restarts, more than
 * 5 failed health checks), on client requests and the candidate's pods.
 */
export const defaultTriggers = {
    errorRate: { query: errorRateOver(TRIGGER_RANGE), above: 0.05, protocols: HTTP_ONLY },
    latencyP95Seconds: { query: latencyP95Over(TRIGGER_RANGE), above: 2, protocols: HTTP_ONLY },
    podRestarts: {
        query: `sum(increase(kube_pod_container_status_restarts_total{${podSelector}}[{{window}}]))`,
        above: 3,
        protocols: EVERY_PROTOCOL,
    },
    healthCheckFailures: {
        query: `sum(increase(prober_probe_total{${podSelector},result="failed"}[{{window}}])) or vector(0)`,
        above: 5,
        protocols: EVERY_PROTOCOL,
    },
};
/** The design's canary health (error rate < 0.1 %, p95 < 500 ms), over the whole watch, on client requests. */
export const defaultGates = {
    errorRate: { query: errorRateOver("{{window}}"), below: 0.001, protocols: HTTP_ONLY },
    latencyP95Seconds: { query: latencyP95Over("{{window}}"), below: 0.5, protocols: HTTP_ONLY },
};
/** The candidate may not be worse than the active colour by more than the margin (absolute, in the query's unit). */
export const defaultComparisons = {
    errorRate: { query: errorRateOver("{{window}}"), margin: 0.0005, protocols: HTTP_ONLY },
    latencyP95Seconds: { query: latencyP95Over("{{window}}"), margin: 0.05, protocols: HTTP_ONLY },
};
/**
 * The candidate's observed share of the service's client requests, in percent: what the load balancer
 * really sends it, whatever its configuration says (probes and scrapes excluded: every colour gets those).
 */
export const defaultTrafficQuery = `100 * sum(rate(http_requests_total{${selector}}[${TRIGGER_RANGE}])) / sum(rate(http_requests_total{${serviceSelector},${clients}}[${TRIGGER_RANGE}]))`;
/** Client requests per second to one colour: what the rollout dashboard plots beside the checks (the traffic query's numerator). */
export const requestRateQuery = `sum(rate(http_requests_total{${selector}}[${TRIGGER_RANGE}]))`;
export const defaultSteps = [
    { weight: 5, watch: "5m" },
    { weight: 25, watch: "10m" },
    { weight: 50, watch: "15m" },
    { weight: 100, watch: "10m" },
];

/** Where notification credentials come from: the environment of the run, never the stack's config. */
export const notificationCredentialEnv = {
    grafanaToken: "GRAFANA_API_TOKEN",
    pagerdutyRoutingKey: "PAGERDUTY_ROUTING_KEY",
    slackWebhookUrl: "SLACK_WEBHOOK_URL",
} as const;

/** Slack's mention syntax in a message: `<!here>`, `<!channel>`, a user group `<!subteam^S0123ABCD>` or a user `<@U0123ABCD>`. */
const slackMention = z.string().regex(/^<(!here|!channel|!subteam\^[A-Z0-9]{6,20}|@[UW][A-Z0-9]{6,20})>$/, {
    error: "a Slack mention such as <!here>, <!subteam^S0123ABCD> (a user group) or <@U0123ABCD> (a person)",
});
/** A Grafana uid: at most 40 letters, digits, '-' or '_'. */
const grafanaUid = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { error: "a Grafana uid (1 to 40 letters, digits, '-' or '_')" });

// A named check in config: a default may be tuned (its query optional), replaced, or removed with null.
const protocols = z.array(z.enum(PROTOCOLS)).min(1).optional().meta({
    defaultText: "the default's; every protocol for a new check",
    description:
        "The services the check judges: the defaults over `http_requests_total` judge `http` services (a FIX session sends no HTTP requests); restarts and failed probes judge both. Every protocol of the run needs at least one trigger (pre-flight refuses the run otherwise).",
});
const checkQuery = query.optional().meta({
    defaultText: "the default's query",
    description: "A PromQL template (see below); required for a name that has no default.",
});
const trigger = z.strictObject({ query: checkQuery, above: z.number().describe("The limit: any series above it rolls back."), protocols });
const gate = z.strictObject({
    query: checkQuery,
    below: z.number().describe("The limit every series stays below over the watch."),
    protocols,
});
const comparison = z.strictObject({
    query: checkQuery,
    margin: z.number().min(0).describe("How much the candidate's worst series may exceed the active colour's, in the query's unit."),
    protocols,
});
const mergedOver = (defaults: object) =>
    `the defaults below (${Object.keys(defaults)
        .map(name => `\`${name}\``)
        .join(", ")})`;

export const promotionSchema = z
    .strictObject({
        prometheusUrl: url
            .default(PROMETHEUS_IN_CLUSTER_URL)
            .describe(
                "Prometheus as the promote job reaches it; the default is the kube-prometheus-stack add-on's in-cluster Service (`PROMETHEUS_IN_CLUSTER_URL`, also the `prometheusUrl` stack output). `--prometheus URL` overrides it (the workflow port-forwards to `127.0.0.1:9090`).",
            ),
        interval: duration
            .default("30s")
            .describe(
                "How often a watch queries, at least `deployments.scrapeInterval`. A breach is acted on at the next query: within one interval.",
            ),
        onHold: z
            .enum(["withdraw", "keep"])
            .default("withdraw")
            .describe(
                "What a run that cannot advance (no evidence past the limit, gates not met, traffic not verified, the window closing, Prometheus down) does with candidates carrying traffic: `withdraw` takes every one to 0 % in one update (at any hour, like a rollback) and exits 3; `keep` leaves them at their weight and exits 3, the summary's first line saying they are unwatched.",
            ),
        consecutiveErrorLimit: z
            .number()
            .int()
            .min(1)
            .max(1000)
            .default(8)
            .describe(
                "Ticks in a row without evidence (a query error, no data, the traffic not yet verified) a watch tolerates; one more and the run cannot advance (Argo Rollouts' `consecutiveErrorLimit`). At the default 30 s interval: 4 minutes, enough for the traffic check's 2-minute range to show a new weight.",
            ),
        traffic: z
            .strictObject({
                query: query.default(defaultTrafficQuery).meta({
                    defaultText: "the share of `http_requests_total` (below)",
                    description: "The candidate's observed share of the service's client requests, in percent (a PromQL template).",
                }),
                tolerance: z
                    .number()
                    .gt(0)
                    .max(50)
                    .default(2)
                    .describe(
                        "Percentage points: the share must be within this of the candidate's weight before a watch counts, and again before finalize.",
                    ),
            })
            .default({ query: defaultTrafficQuery, tolerance: 2 })
            .describe("How the promotion checks that the load balancer really moved the traffic."),
        steps: z
            .array(
                z.strictObject({
                    weight: z
                        .number()
                        .int()
                        .describe("The candidate colour's weight: a canary weight 5, 25, 50 or 100, rising, the last 100."),
                    watch: duration.describe(
                        "How long the step is watched: at least one interval, and four scrape intervals when a query reads `[{{window}}]`.",
                    ),
                }),
            )
            .min(1)
            .default(defaultSteps)
            .meta({
                defaultText: defaultSteps.map(s => `${s.weight} % for \`${s.watch}\``).join(", "),
                description: "The canary steps, in order.",
            }),
        triggers: z
            .record(metricName, trigger.nullable())
            .default({})
            .meta({
                defaultText: mergedOver(defaultTriggers),
                description:
                    "Any series of any trigger above its limit, on any service of the run, rolls every service back at once. Merged by name over the defaults; `null` removes one.",
            }),
        gates: z
            .record(metricName, gate.nullable())
            .default({})
            .meta({
                defaultText: mergedOver(defaultGates),
                description:
                    "Every series of every gate must be below its limit over the whole watch for the step to advance. Merged by name over the defaults; `null` removes one.",
            }),
        comparisons: z
            .record(metricName, comparison.nullable())
            .default({})
            .meta({
                defaultText: mergedOver(defaultComparisons),
                description:
                    "The candidate's worst series may exceed the active colour's by at most `margin`, over the same watch, while the active colour still takes traffic (weights below 100). Merged by name over the defaults; `null` removes one.",
            }),
        notifications: z
            .strictObject({
                grafana: z
                    .strictObject({
                        url: url.describe("Grafana's base URL."),
                        dashboardUid: z
                            .string()
                            .min(1)
                            .optional()
                            .describe("The dashboard the annotations go on; unset, they are organisation-wide annotations."),
                        tags: z.array(z.string().min(1)).default(["promotion"]).describe("Tags of every annotation."),
                    })
                    .optional()
                    .describe(
                        `A Grafana annotation per step, rollback, withdrawal and finalize (\`POST /api/annotations\`, token from \`${notificationCredentialEnv.grafanaToken}\`).`,
                    ),
                alertmanager: z
                    .strictObject({
                        url: url.describe("Alertmanager's base URL."),
                        createdBy: z.string().min(1).default("npm run promote").describe("The silences' `createdBy`."),
                    })
                    .optional()
                    .describe(
                        "An Alertmanager silence on the run's services (matchers `namespace`, `service`) for each watch (`POST /api/v2/silences`), expired early when the watch ends sooner.",
                    ),
                pagerduty: z
                    .strictObject({
                        url: url.default("https://events.pagerduty.com/v2/enqueue").describe("The Events API v2 endpoint."),
                        severity: z
                            .enum(["critical", "error", "warning", "info"])
                            .default("critical")
                            .describe("Severity of a rollback's event."),
                    })
                    .optional()
                    .describe(
                        `A PagerDuty event on every rollback, and at once (severity \`critical\`) when a rollback or withdrawal fails (Events API v2, routing key from \`${notificationCredentialEnv.pagerdutyRoutingKey}\`); a page that does not get through is sent twice more with the same \`dedup_key\`.`,
                    ),
                slack: z
                    .strictObject({
                        channel: z
                            .string()
                            .regex(/^#[a-z0-9][a-z0-9._-]{0,79}$/, { error: "a Slack channel name such as #trading-deploys" })
                            .default("#trading-deploys")
                            .describe(
                                "The channel the webhook posts to, as messages and warnings name it (Slack binds a webhook to its channel).",
                            ),
                        mention: slackMention
                            .optional()
                            .describe(
                                "Who a rollback, and a rollback or withdrawal whose update failed, calls by name (`<!here>`, `<!subteam^ID>`, `<@U…>`).",
                            ),
                    })
                    .optional()
                    .describe(
                        `A Slack message per step, rollback, withdrawal, hold and result (an incoming webhook); the webhook URL, a credential, comes from \`${notificationCredentialEnv.slackWebhookUrl}\`, never from config.`,
                    ),
            })
            .default({})
            .describe("Who hears of the promotion; each channel is off while unset, and a failed notification never blocks a decision."),
        dashboard: z
            .strictObject({
                datasourceUid: grafanaUid.describe("The Grafana data source (its uid) that queries this cluster's Prometheus."),
                uid: grafanaUid.default("trading-rollout").describe("The dashboard's uid."),
                title: z.string().min(1).max(200).default("Rollout").describe("The dashboard's title."),
                folderUid: grafanaUid.default("trading-platform").describe("The folder the stack declares the dashboard in (its uid)."),
                folderTitle: z.string().min(1).max(200).default("Trading platform").describe("The folder's title."),
            })
            .optional()
            .describe(
                "The rollout dashboard the stack declares in the team's Grafana (`notifications.grafana.url`) with the Grafana provider; its token is the Pulumi secret `grafanaDashboardToken`.",
            ),
    })
    .describe("Production only, optional (refused in staging, which rolls): how `npm run promote` walks the blue-green services.");
export type PromotionConfig = z.infer<typeof promotionSchema>;

export interface PromotionCheck {
    query: string;
    limit: number;
    /** The protocols of the services it judges. */
    protocols: Protocol[];
}
/** The promotion's settings with defaults merged and durations in milliseconds: what the state machine reads. */
export interface PromotionSettings {
    prometheusUrl: string;
    intervalMs: number;
    steps: { weight: number; watch: string; watchMs: number }[];
    onHold: "withdraw" | "keep";
    consecutiveErrorLimit: number;
    /** The observed-share query (percent of client requests) and the tolerance in percentage points; judges `http` services. */
    traffic: { query: string; tolerance: number };
    /** Any one above its limit rolls back. */
    triggers: Record<string, PromotionCheck>;
    /** All below their limits over the whole watch to advance. */
    gates: Record<string, PromotionCheck>;
    /** Candidate minus active at most the limit (the margin). */
    comparisons: Record<string, PromotionCheck>;
    notifications: PromotionConfig["notifications"];
    dashboard: PromotionConfig["dashboard"];
}

function mergeChecks<T extends { query?: string; protocols?: Protocol[] } | null>(
    defaults: Record<string, { query: string; protocols: Protocol[] }>,
    given: Record<string, T>,
    limitOf: (check: NonNullable<T>) => number,
    defaultLimit: (name: string) => number,
): Record<string, PromotionCheck> {
    const merged: Record<string, PromotionCheck> = {};
    for (const [name, check] of Object.entries(defaults)) {
        merged[name] = { query: check.query, limit: defaultLimit(name), protocols: check.protocols };
    }
    for (const [name, check] of Object.entries(given)) {
        if (check === null) {
            delete merged[name];
            continue;
        }
        const c = check as NonNullable<T>;
        // A tuned default keeps its protocols; a new query judges every protocol unless told.
        const base = c.query === undefined ? defaults[name] : undefined;
        merged[name] = {
            query: c.query ?? defaults[name]?.query ?? "",
            limit: limitOf(c),
            protocols: c.protocols ?? base?.protocols ?? EVERY_PROTOCOL,
        };
    }
    return merged;
}

export function promotionSettings(config: PromotionConfig | undefined): PromotionSettings {
    const c = config ?? promotionSchema.parse({});
    return {
        prometheusUrl: c.prometheusUrl,
        intervalMs: durationMs(c.interval),
        steps: c.steps.map(s => ({ ...s, watchMs: durationMs(s.watch) })),
        onHold: c.onHold,
        consecutiveErrorLimit: c.consecutiveErrorLimit,
        traffic: c.traffic,
        triggers: mergeChecks(
            defaultTriggers,
            c.triggers,
            t => t.above,
            n => defaultTriggers[n as keyof typeof defaultTriggers].above,
        ),
        gates: mergeChecks(
            defaultGates,
            c.gates,
            g => g.below,
            n => defaultGates[n as keyof typeof defaultGates].below,
        ),
        comparisons: mergeChecks(
            defaultComparisons,
            c.comparisons,
            g => g.margin,
            n => defaultComparisons[n as keyof typeof defaultComparisons].margin,
        ),
        notifications: c.notifications,
        dashboard: c.dashboard,
    };
}

/**
 * The ranges a query reads (`[2m]`, `[{{window}}]`, a subquery's `[10m:30s]`), each with the duration it
 * spans; `{{window}}` spans each step's watch.
 */
export function queryRanges(promql: string): { range: string; ms?: number }[] {
    const ranges: { range: string; ms?: number }[] = [];
    for (const match of promql.matchAll(/\[([^\]]+)\]/g)) {
        const span = match[1].split(":")[0].trim();
        if (/^\{\{\s*window\s*\}\}$/.test(span)) ranges.push({ range: "{{window}}" });
        else if (/^[1-9][0-9]*(ms|s|m|h)$/.test(span)) ranges.push({ range: span, ms: durationMs(span) });
    }
    return ranges;
}

/** Scrapes a range must span at least, so one late scrape never leaves it with fewer than two samples. */
export const SCRAPES_PER_RANGE = 4;

export function promotionRules(
    key: string,
    environment: EnvironmentName,
    promotion: PromotionConfig | undefined,
    context: { scrapeInterval: string },
): ConfigProblem[] {
    if (!promotion) return [];
    const problems: ConfigProblem[] = [];
    if (!environments[environment].production) {
        problems.push({
            key,
            expected: `no promotion section: ${environment} rolls its services, only production promotes step by step`,
            found: "a promotion section",
        });
        return problems;
    }
    const canary = CANARY_WEIGHTS.filter(w => w > 0) as readonly number[];
    let previous = 0;
    promotion.steps.forEach((step, i) => {
        if (!canary.includes(step.weight)) {
            problems.push({
                key: `${key}.steps.${i}.weight`,
                expected: `one of the canary weights ${canary.join(", ")}`,
                found: String(step.weight),
            });
        } else if (step.weight <= previous) {
            problems.push({
                key: `${key}.steps.${i}.weight`,
                expected: `a weight above the previous step's (${previous})`,
                found: String(step.weight),
            });
        }
        previous = Math.max(previous, step.weight);
        if (durationMs(step.watch) < durationMs(promotion.interval)) {
            problems.push({
                key: `${key}.steps.${i}.watch`,
                expected: `a watch at least one interval (${promotion.interval}) long`,
                found: JSON.stringify(step.watch),
            });
        }
    });
    const last = promotion.steps[promotion.steps.length - 1];
    if (last && last.weight !== 100) {
        problems.push({
            key: `${key}.steps.${promotion.steps.length - 1}.weight`,
            expected: "100 as the last step (the promotion ends in a full cutover)",
            found: String(last.weight),
        });
    }
    // Querying more often than Prometheus scrapes reads the same samples again.
    if (durationMs(promotion.interval) < durationMs(context.scrapeInterval)) {
        problems.push({
            key: `${key}.interval`,
            expected: `at least one scrape interval (deployments.scrapeInterval, ${context.scrapeInterval})`,
            found: JSON.stringify(promotion.interval),
        });
    }
    const sections = [
        ["triggers", promotion.triggers, defaultTriggers],
        ["gates", promotion.gates, defaultGates],
        ["comparisons", promotion.comparisons, defaultComparisons],
    ] as const;
    for (const [section, given, defaults] of sections) {
        for (const [name, check] of Object.entries(given)) {
            if (check && check.query === undefined && !(name in defaults)) {
                problems.push({
                    key: `${key}.${section}.${name}.query`,
                    expected: `a PromQL query (${name} has no default; defaults exist for ${Object.keys(defaults).join(", ")})`,
                    found: "nothing",
                });
            }
        }
    }
    // The dashboard lives in the Grafana the annotations go to: one URL for the team's Grafana.
    if (promotion.dashboard && !promotion.notifications.grafana) {
        problems.push({
            key: `${key}.notifications.grafana`,
            expected: "the team's Grafana (url): promotion.dashboard is declared there and annotated by the promotion",
            found: "nothing (the key is not set)",
        });
    }
    const settings = promotionSettings(promotion);
    if (Object.keys(settings.triggers).length === 0) {
        problems.push({
            key: `${key}.triggers`,
            expected: "at least one trigger: without one, nothing ever rolls a bad candidate back",
            found: "every trigger removed",
        });
    }
    // Every range must hold several samples: a range of one or two scrapes reads a late scrape as no data.
    const floorMs = SCRAPES_PER_RANGE * durationMs(context.scrapeInterval);
    const floor = `${SCRAPES_PER_RANGE} scrape intervals (${SCRAPES_PER_RANGE} × ${context.scrapeInterval})`;
    const queries: [string, string][] = [
        ...(["triggers", "gates", "comparisons"] as const).flatMap(section =>
            Object.entries(settings[section]).map(([name, c]): [string, string] => [`${key}.${section}.${name}.query`, c.query]),
        ),
        [`${key}.traffic.query`, settings.traffic.query],
    ];
    let windowed = false;
    for (const [at, promql] of queries) {
        const ranges = queryRanges(promql);
        windowed ||= ranges.some(r => r.ms === undefined);
        const short = [...new Set(ranges.filter(r => r.ms !== undefined && r.ms < floorMs).map(r => `[${r.range}]`))];
        if (short.length) problems.push({ key: at, expected: `every range at least ${floor} long`, found: short.join(", ") });
    }
    // `[{{window}}]` spans the step's watch.
    if (windowed) {
        promotion.steps.forEach((step, i) => {
            if (durationMs(step.watch) < floorMs) {
                problems.push({
                    key: `${key}.steps.${i}.watch`,
                    expected: `a watch at least ${floor} long: the queries' [{{window}}] ranges span it`,
                    found: JSON.stringify(step.watch),
                });
            }
        });
    }
    return problems;
}
