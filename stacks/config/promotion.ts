import { z } from "zod";
import { METRIC_LABELS } from "../../components/blueGreenService";
import { PROMETHEUS_IN_CLUSTER_URL } from "../../components/clusterAddons";
import { CANARY_WEIGHTS, colourObjectName, EnvironmentName, environments } from "../../platform";
import { ConfigProblem } from "./errors";

// The metric-gated promotion (`npm run promote`, docs/runbook.md): how often it looks, how long each
// canary step is watched, what rolls a release back at once and what must hold to advance.

/** Placeholders a query may use; the promotion fills them per service and colour. */
export const QUERY_PLACEHOLDERS = ["namespace", "service", "colour", "window"] as const;
export type QueryPlaceholder = (typeof QUERY_PLACEHOLDERS)[number];

/** A Prometheus duration the promotion can also sleep on: 30s, 5m, 1h (one unit). */
const durationUnitsMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const duration = z
    .string({ error: "a duration such as 30s, 5m or 1h" })
    .regex(/^[1-9][0-9]*(ms|s|m|h)$/, { error: "a duration such as 30s, 5m or 1h" });

/** "5m" → 300000. */
export function durationMs(text: string): number {
    const match = /^([1-9][0-9]*)(ms|s|m|h)$/.exec(text);
    if (!match) throw new Error(`not a duration: ${JSON.stringify(text)}`);
    return Number(match[1]) * durationUnitsMs[match[2] as keyof typeof durationUnitsMs];
}

const query = z
    .string()
    .min(1)
    .refine(text => [...text.matchAll(/\{\{\s*([A-Za-z]+)\s*\}\}/g)].every(m => (QUERY_PLACEHOLDERS as readonly string[]).includes(m[1])), {
        error: `a PromQL template using only ${QUERY_PLACEHOLDERS.map(p => `{{${p}}}`).join(", ")}`,
    });
const metricName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: "a name such as errorRate" });
const url = z.url({ protocol: /^https?$/, error: "an http(s) URL" });

// Series the services expose (`http_requests_total` with `code`, `http_request_duration_seconds_bucket`),
// labelled with `namespace`, `service` and `colour` by the services' PodMonitor; kube-state-metrics'
// restarts and the kubelet's probe results are labelled by pod, whose name starts `<service>-<colour>-`.
const selector = `namespace="{{namespace}}",${METRIC_LABELS.service}="{{service}}",${METRIC_LABELS.colour}="{{colour}}"`;
const podSelector = `namespace="{{namespace}}",pod=~"${colourObjectName("{{service}}", "{{colour}}")}-.*"`;
// `or vector(0)`: a service exposes a code="500" series only after its first error, and the kubelet a
// failed-probe series only after the first failure; no traffic at all still reads as no data.
const errorRateOver = (range: string) =>
    `(sum(rate(http_requests_total{${selector},code=~"5.."}[${range}])) or vector(0)) / sum(rate(http_requests_total{${selector}}[${range}]))`;
const latencyP95Over = (range: string) => `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[${range}])))`;

/** The seed's rollback triggers (002, Automatic Rollback Triggers). Triggers look at the last minute, so a breach shows within one interval. */
export const defaultTriggers = {
    errorRate: { query: errorRateOver("1m"), above: 0.05 },
    latencyP95Seconds: { query: latencyP95Over("1m"), above: 2 },
    podRestarts: { query: `sum(increase(kube_pod_container_status_restarts_total{${podSelector}}[{{window}}]))`, above: 3 },
    healthCheckFailures: { query: `sum(increase(prober_probe_total{${podSelector},result="failed"}[{{window}}])) or vector(0)`, above: 5 },
};
/** The seed's canary health (error rate < 0.1 %, p95 < 500 ms), over the whole watch. */
export const defaultGates = {
    errorRate: { query: errorRateOver("{{window}}"), below: 0.001 },
    latencyP95Seconds: { query: latencyP95Over("{{window}}"), below: 0.5 },
};
/** The candidate may not be worse than the active colour by more than the margin (absolute, in the query's unit). */
export const defaultComparisons = {
    errorRate: { query: errorRateOver("{{window}}"), margin: 0.0005 },
    latencyP95Seconds: { query: latencyP95Over("{{window}}"), margin: 0.05 },
};
export const defaultSteps = [
    { weight: 5, watch: "5m" },
    { weight: 25, watch: "10m" },
    { weight: 50, watch: "15m" },
    { weight: 100, watch: "10m" },
];

/** Where notification credentials come from: the environment of the run, never the stack's config. */
export const notificationCredentialEnv = { grafanaToken: "GRAFANA_API_TOKEN", pagerdutyRoutingKey: "PAGERDUTY_ROUTING_KEY" } as const;

// A named check in config: a default may be tuned (its query optional), replaced, or removed with null.
const trigger = z.strictObject({ query: query.optional(), above: z.number() });
const gate = z.strictObject({ query: query.optional(), below: z.number() });
const comparison = z.strictObject({ query: query.optional(), margin: z.number().min(0) });

export const promotionSchema = z.strictObject({
    /** Prometheus as the promote job reaches it; the default is kube-prometheus-stack's in-cluster Service. */
    prometheusUrl: url.default(PROMETHEUS_IN_CLUSTER_URL),
    /** How often a watch queries. */
    interval: duration.default("30s"),
    steps: z.array(z.strictObject({ weight: z.number().int(), watch: duration })).min(1).default(defaultSteps),
    triggers: z.record(metricName, trigger.nullable()).default({}),
    gates: z.record(metricName, gate.nullable()).default({}),
    comparisons: z.record(metricName, comparison.nullable()).default({}),
    notifications: z
        .strictObject({
            /** A Grafana annotation per step (HTTP API); the token comes from GRAFANA_API_TOKEN. */
            grafana: z.strictObject({ url, dashboardUid: z.string().min(1).optional(), tags: z.array(z.string().min(1)).default(["promotion"]) }).optional(),
            /** An Alertmanager silence for the services during each watch (API v2). */
            alertmanager: z.strictObject({ url, createdBy: z.string().min(1).default("npm run promote") }).optional(),
            /** A PagerDuty event on rollback (Events API v2); the routing key comes from PAGERDUTY_ROUTING_KEY. */
            pagerduty: z.strictObject({ url: url.default("https://events.pagerduty.com/v2/enqueue"), severity: z.enum(["critical", "error", "warning", "info"]).default("critical") }).optional(),
        })
        .default({}),
});
export type PromotionConfig = z.infer<typeof promotionSchema>;

export interface PromotionCheck {
    query: string;
    limit: number;
}
/** The promotion's settings with defaults merged and durations in milliseconds: what the state machine reads. */
export interface PromotionSettings {
    prometheusUrl: string;
    intervalMs: number;
    steps: { weight: number; watch: string; watchMs: number }[];
    /** Any one above its limit rolls back. */
    triggers: Record<string, PromotionCheck>;
    /** All below their limits over the whole watch to advance. */
    gates: Record<string, PromotionCheck>;
    /** Candidate minus active at most the limit (the margin). */
    comparisons: Record<string, PromotionCheck>;
    notifications: PromotionConfig["notifications"];
}

function mergeChecks<T extends { query?: string } | null>(
    defaults: Record<string, { query: string }>,
    given: Record<string, T>,
    limitOf: (check: NonNullable<T>) => number,
    defaultLimit: (name: string) => number,
): Record<string, PromotionCheck> {
    const merged: Record<string, PromotionCheck> = {};
    for (const [name, check] of Object.entries(defaults)) merged[name] = { query: check.query, limit: defaultLimit(name) };
    for (const [name, check] of Object.entries(given)) {
        if (check === null) delete merged[name];
        else merged[name] = { query: check.query ?? defaults[name]?.query ?? "", limit: limitOf(check as NonNullable<T>) };
    }
    return merged;
}

export function promotionSettings(config: PromotionConfig | undefined): PromotionSettings {
    const c = config ?? promotionSchema.parse({});
    return {
        prometheusUrl: c.prometheusUrl,
        intervalMs: durationMs(c.interval),
        steps: c.steps.map(s => ({ ...s, watchMs: durationMs(s.watch) })),
        triggers: mergeChecks(defaultTriggers, c.triggers, t => t.above, n => defaultTriggers[n as keyof typeof defaultTriggers].above),
        gates: mergeChecks(defaultGates, c.gates, g => g.below, n => defaultGates[n as keyof typeof defaultGates].below),
        comparisons: mergeChecks(defaultComparisons, c.comparisons, g => g.margin, n => defaultComparisons[n as keyof typeof defaultComparisons].margin),
        notifications: c.notifications,
    };
}

export function promotionRules(key: string, environment: EnvironmentName, promotion: PromotionConfig | undefined): ConfigProblem[] {
    if (!promotion) return [];
    const problems: ConfigProblem[] = [];
    if (!environments[environment].production) {
        problems.push({ key, expected: `no promotion section: ${environment} rolls its services, only production promotes step by step`, found: "a promotion section" });
        return problems;
    }
    const canary = CANARY_WEIGHTS.filter(w => w > 0) as readonly number[];
    let previous = 0;
    promotion.steps.forEach((step, i) => {
        if (!canary.includes(step.weight)) {
            problems.push({ key: `${key}.steps.${i}.weight`, expected: `one of the canary weights ${canary.join(", ")}`, found: String(step.weight) });
        } else if (step.weight <= previous) {
            problems.push({ key: `${key}.steps.${i}.weight`, expected: `a weight above the previous step's (${previous})`, found: String(step.weight) });
        }
        previous = Math.max(previous, step.weight);
        if (durationMs(step.watch) < durationMs(promotion.interval)) {
            problems.push({ key: `${key}.steps.${i}.watch`, expected: `a watch at least one interval (${promotion.interval}) long`, found: JSON.stringify(step.watch) });
        }
    });
    const last = promotion.steps[promotion.steps.length - 1];
    if (last && last.weight !== 100) {
        problems.push({ key: `${key}.steps.${promotion.steps.length - 1}.weight`, expected: "100 as the last step (the promotion ends in a full cutover)", found: String(last.weight) });
    }
    if (durationMs(promotion.interval) < 1000) {
        problems.push({ key: `${key}.interval`, expected: "at least 1s (Prometheus scrapes every 15–30 s)", found: JSON.stringify(promotion.interval) });
    }
    const sections = [
        ["triggers", promotion.triggers, defaultTriggers],
        ["gates", promotion.gates, defaultGates],
        ["comparisons", promotion.comparisons, defaultComparisons],
    ] as const;
    for (const [section, given, defaults] of sections) {
        for (const [name, check] of Object.entries(given)) {
            if (check && check.query === undefined && !(name in defaults)) {
                problems.push({ key: `${key}.${section}.${name}.query`, expected: `a PromQL query (${name} has no default; defaults exist for ${Object.keys(defaults).join(", ")})`, found: "nothing" });
            }
        }
    }
    return problems;
}
