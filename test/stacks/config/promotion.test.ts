import { strict as assert } from "assert";
import { validateStackConfig } from "../../../stacks/config";
import {
    defaultGates,
    defaultTrafficQuery,
    defaultTriggers,
    durationMs,
    promotionSettings,
    queryRanges,
} from "../../../stacks/config/promotion";
import { SCRAPE_INTERVAL } from "../../../components/blueGreenService";
import { PROMETHEUS_IN_CLUSTER_URL } from "../../../components/clusterAddons";
import { committedConfig, problemsOf, rawConfig, withSection } from "../../support/stackConfig";

const production = committedConfig("production");
const withPromotion = (edit: (p: Record<string, unknown>) => unknown) => withSection(production, "promotion", p => edit(p ?? {}));

describe("config promotion", () => {
    it("defaults to the design's canary steps (5, 25, 50, 100 %), rollback triggers and health gates, and the add-on's in-cluster Prometheus", () => {
        const { promotion } = validateStackConfig(
            rawConfig(
                "production",
                withSection(production, "promotion", () => undefined),
            ),
        );
        const settings = promotionSettings(promotion);
        assert.equal(settings.prometheusUrl, PROMETHEUS_IN_CLUSTER_URL);
        assert.equal(settings.intervalMs, 30_000);
        assert.deepEqual(
            settings.steps.map(s => [s.weight, s.watchMs / 60_000]),
            [
                [5, 5],
                [25, 10],
                [50, 15],
                [100, 10],
            ],
        );
        assert.deepEqual(Object.fromEntries(Object.entries(settings.triggers).map(([n, t]) => [n, t.limit])), {
            errorRate: 0.05,
            latencyP95Seconds: 2,
            podRestarts: 3,
            healthCheckFailures: 5,
        });
        assert.deepEqual(Object.fromEntries(Object.entries(settings.gates).map(([n, g]) => [n, g.limit])), {
            errorRate: 0.001,
            latencyP95Seconds: 0.5,
        });
        assert.ok(Object.keys(settings.comparisons).length > 0, "a comparison gate by default");
    });

    it("the committed production section validates and keeps the design's numbers", () => {
        const settings = promotionSettings(validateStackConfig(rawConfig("production")).promotion);
        assert.deepEqual(
            settings.steps.map(s => s.weight),
            [5, 25, 50, 100],
        );
        assert.equal(settings.triggers.errorRate.query, defaultTriggers.errorRate.query);
    });

    it("tunes a default by name, replaces its query, adds a new check and removes one with null", () => {
        const config = withPromotion(p => ({
            ...p,
            triggers: {
                errorRate: { above: 0.02 },
                orderRejects: { query: 'sum(rate(orders_rejected_total{service="{{service}}"}[2m]))', above: 1 },
                podRestarts: null,
            },
            gates: { latencyP95Seconds: { query: 'my_p95{service="{{service}}"}', below: 0.3 } },
        }));
        const settings = promotionSettings(validateStackConfig(rawConfig("production", config)).promotion);
        assert.deepEqual(settings.triggers.errorRate, { query: defaultTriggers.errorRate.query, limit: 0.02, protocols: ["http"] });
        assert.deepEqual(settings.triggers.orderRejects, {
            query: 'sum(rate(orders_rejected_total{service="{{service}}"}[2m]))',
            limit: 1,
            protocols: ["http", "fix"],
        });
        assert.equal(settings.triggers.podRestarts, undefined);
        assert.ok(settings.triggers.healthCheckFailures, "other defaults stay");
        assert.deepEqual(settings.gates.latencyP95Seconds, {
            query: 'my_p95{service="{{service}}"}',
            limit: 0.3,
            protocols: ["http", "fix"],
        });
        assert.equal(settings.gates.errorRate.query, defaultGates.errorRate.query);
    });

    it("refuses steps out of the canary sequence, out of order, not ending at 100, or shorter than the interval", () => {
        const config = withPromotion(p => ({
            ...p,
            interval: "1m",
            steps: [
                { weight: 10, watch: "5m" },
                { weight: 50, watch: "30s" },
                { weight: 25, watch: "5m" },
            ],
        }));
        assert.deepEqual(problemsOf("production", config), [
            "- production: trading-platform:promotion.steps.0.weight: expected one of the canary weights 5, 25, 50, 100; found 10",
            '- production: trading-platform:promotion.steps.1.watch: expected a watch at least one interval (1m) long; found "30s"',
            "- production: trading-platform:promotion.steps.2.weight: expected a weight above the previous step's (50); found 25",
            "- production: trading-platform:promotion.steps.2.weight: expected 100 as the last step (the promotion ends in a full cutover); found 25",
            `- production: trading-platform:promotion.steps.1.watch: expected a watch at least 4 scrape intervals (4 × 30s) long: the queries' [{{window}}] ranges span it; found "30s"`,
        ]);
    });

    it("refuses a bad duration, an unknown placeholder, a new check without a query, and the section in staging", () => {
        const config = withPromotion(p => ({ ...p, interval: "30 seconds", triggers: { errors: { query: "x{{pod}}", above: 1 } } }));
        const problems = problemsOf("production", config);
        assert.ok(
            problems.some(p =>
                p.startsWith(
                    '- production: trading-platform:promotion.interval: expected a duration such as 30s, 5m or 1h; found "30 seconds"',
                ),
            ),
            problems.join("\n"),
        );
        assert.ok(
            problems.some(p => /promotion\.triggers\.errors\.query: expected a PromQL template using only \{\{namespace\}\}/.test(p)),
            problems.join("\n"),
        );
        const noQuery = withPromotion(p => ({ ...p, triggers: { latency: { above: 2 } } }));
        assert.deepEqual(problemsOf("production", noQuery), [
            "- production: trading-platform:promotion.triggers.latency.query: expected a PromQL query (latency has no default; defaults exist for errorRate, latencyP95Seconds, podRestarts, healthCheckFailures); found nothing",
        ]);

        const staging = withSection(committedConfig("staging"), "promotion", () => ({}));
        assert.deepEqual(problemsOf("staging", staging), [
            "- staging: trading-platform:promotion: expected no promotion section: staging rolls its services, only production promotes step by step; found a promotion section",
        ]);
    });

    it("withdraws on hold after 8 ticks without evidence, and verifies the candidate's share of client requests within 2 points, by default", () => {
        const settings = promotionSettings(validateStackConfig(rawConfig("production")).promotion);
        assert.equal(settings.onHold, "withdraw");
        assert.equal(settings.consecutiveErrorLimit, 8);
        assert.equal(settings.traffic.tolerance, 2);
        assert.equal(settings.traffic.query, defaultTrafficQuery);
        // Client requests only: the kubelet's probes and Prometheus' scrapes reach every colour alike.
        for (const q of [
            defaultTrafficQuery,
            defaultTriggers.errorRate.query,
            defaultTriggers.latencyP95Seconds.query,
            defaultGates.errorRate.query,
        ]) {
            assert.ok(q.includes('path!~"{{excludedPaths}}"'), q);
        }
        // The HTTP checks judge HTTP services; restarts and failed probes judge a FIX gateway too.
        assert.deepEqual(Object.fromEntries(Object.entries(settings.triggers).map(([n, t]) => [n, t.protocols])), {
            errorRate: ["http"],
            latencyP95Seconds: ["http"],
            podRestarts: ["http", "fix"],
            healthCheckFailures: ["http", "fix"],
        });
        const kept = withPromotion(p => ({ ...p, onHold: "keep", consecutiveErrorLimit: 3, traffic: { tolerance: 5 } }));
        const tuned = promotionSettings(validateStackConfig(rawConfig("production", kept)).promotion);
        assert.deepEqual(
            [tuned.onHold, tuned.consecutiveErrorLimit, tuned.traffic],
            ["keep", 3, { query: defaultTrafficQuery, tolerance: 5 }],
        );
        assert.ok(
            problemsOf(
                "production",
                withPromotion(p => ({ ...p, onHold: "pause" })),
            )[0].includes("trading-platform:promotion.onHold"),
        );
    });

    it("needs at least one trigger: removing every one is a config error naming the key", () => {
        const none = withPromotion(p => ({ ...p, triggers: Object.fromEntries(Object.keys(defaultTriggers).map(n => [n, null])) }));
        assert.deepEqual(problemsOf("production", none), [
            "- production: trading-platform:promotion.triggers: expected at least one trigger: without one, nothing ever rolls a bad candidate back; found every trigger removed",
        ]);
    });

    it("keeps every range at least four scrape intervals long, the triggers' defaults included, and queries no faster than Prometheus scrapes", () => {
        assert.deepEqual(
            Object.values(defaultTriggers).flatMap(t => queryRanges(t.query).map(r => r.range)),
            ["2m", "2m", "2m", "{{window}}", "{{window}}"],
        );
        assert.equal(
            queryRanges(defaultTrafficQuery).every(r => r.ms === 4 * durationMs(SCRAPE_INTERVAL)),
            true,
        );
        const short = withPromotion(p => ({
            ...p,
            triggers: { errorRate: { query: 'sum(rate(x{service="{{service}}"}[1m])) / sum(rate(y[30s:10s]))', above: 1 } },
        }));
        assert.deepEqual(problemsOf("production", short), [
            "- production: trading-platform:promotion.triggers.errorRate.query: expected every range at least 4 scrape intervals (4 × 30s) long; found [1m], [30s]",
        ]);
        // A faster scrape allows shorter ranges, and an interval down to one scrape.
        const fast = withSection(
            withPromotion(p => ({
                ...p,
                interval: "250ms",
                steps: [
                    { weight: 5, watch: "1s" },
                    { weight: 100, watch: "1s" },
                ],
                triggers: { errorRate: { query: "sum(rate(x[1s]))", above: 1 } },
                traffic: { query: "sum(rate(y[1s]))" },
            })),
            "deployments",
            d => ({ ...d, scrapeInterval: "250ms" }),
        );
        validateStackConfig(rawConfig("production", fast));
        const tooFast = withSection(
            withPromotion(p => ({ ...p, interval: "10s" })),
            "deployments",
            d => ({ ...d, scrapeInterval: "15s" }),
        );
        assert.ok(
            problemsOf("production", tooFast).includes(
                '- production: trading-platform:promotion.interval: expected at least one scrape interval (deployments.scrapeInterval, 15s); found "10s"',
            ),
        );
    });

    it("reads durations in Prometheus units", () => {
        assert.deepEqual(["500ms", "30s", "5m", "1h"].map(durationMs), [500, 30_000, 300_000, 3_600_000]);
        assert.throws(() => durationMs("5 minutes"), /not a duration/);
    });
});

describe("config promotion: Slack and the rollout dashboard", () => {
    it("takes a Slack channel name and a mention, with defaults, and no URL at all", () => {
        const settings = (slack: unknown) =>
            promotionSettings(
                validateStackConfig(
                    rawConfig(
                        "production",
                        withPromotion(p => ({ ...p, notifications: { ...(p.notifications as object), slack } })),
                    ),
                ).promotion,
            );
        assert.deepEqual(settings({}).notifications.slack, { channel: "#trading-deploys" });
        assert.deepEqual(settings({ channel: "#ops-trading", mention: "<!subteam^S0123ABCD>" }).notifications.slack, {
            channel: "#ops-trading",
            mention: "<!subteam^S0123ABCD>",
        });
        const bad = withPromotion(p => ({
            ...p,
            notifications: {
                ...(p.notifications as object),
                slack: { channel: "trading", mention: "@oncall", url: "https://example.com/hook" },
            },
        }));
        assert.deepEqual(
            problemsOf("production", bad).sort(),
            [
                '- production: trading-platform:promotion.notifications.slack.url: expected one of the known keys (channel, mention); found the unknown key "url"',
                '- production: trading-platform:promotion.notifications.slack.channel: expected a Slack channel name such as #trading-deploys; found "trading"',
                '- production: trading-platform:promotion.notifications.slack.mention: expected a Slack mention such as <!here>, <!subteam^S0123ABCD> (a user group) or <@U0123ABCD> (a person); found "@oncall"',
            ].sort(),
        );
    });

    it("declares the dashboard only in the Grafana the annotations go to, with its token as a Pulumi secret", () => {
        // The committed stack declares the dashboard with its token; without the token:
        const declared = withPromotion(p => ({ ...p, dashboard: { datasourceUid: "prometheus-trading-prod" } }));
        const TOKEN_KEY = "trading-platform:grafanaDashboardToken";
        const withDashboard = {
            values: Object.fromEntries(Object.entries(declared.values).filter(([k]) => k !== TOKEN_KEY)),
            secretKeys: declared.secretKeys.filter(k => k !== TOKEN_KEY),
        };
        assert.deepEqual(problemsOf("production", withDashboard), [
            "- production: trading-platform:grafanaDashboardToken: expected a secret (pulumi config set --secret grafanaDashboardToken ...); found nothing (the key is not set)",
        ]);
        const values = { ...withDashboard.values, "trading-platform:grafanaDashboardToken": "v1:opaque" };
        const config = validateStackConfig({
            ...rawConfig("production", withDashboard),
            values,
            secretKeys: new Set([...withDashboard.secretKeys, "trading-platform:grafanaDashboardToken"]),
        });
        assert.deepEqual(config.promotion?.dashboard, {
            datasourceUid: "prometheus-trading-prod",
            uid: "trading-rollout",
            title: "Rollout",
            folderUid: "trading-platform",
            folderTitle: "Trading platform",
        });
        const plain = { ...withDashboard, values };
        assert.ok(
            problemsOf("production", plain).includes(
                "- production: trading-platform:grafanaDashboardToken: expected a secret (pulumi config set --secret grafanaDashboardToken ...); found a plaintext value",
            ),
        );
        const noGrafana = withPromotion(p => ({ ...p, notifications: {}, dashboard: { datasourceUid: "prometheus-trading-prod" } }));
        assert.ok(
            problemsOf("production", {
                ...noGrafana,
                values: { ...noGrafana.values, "trading-platform:grafanaDashboardToken": "v1:opaque" },
                secretKeys: [...noGrafana.secretKeys, "trading-platform:grafanaDashboardToken"],
            }).includes(
                "- production: trading-platform:promotion.notifications.grafana: expected the team's Grafana (url): promotion.dashboard is declared there and annotated by the promotion; found nothing (the key is not set)",
            ),
        );
        assert.deepEqual(
            problemsOf(
                "production",
                withPromotion(p => ({ ...p, dashboard: { datasourceUid: "has spaces" } })),
            ).slice(0, 1),
            [
                "- production: trading-platform:promotion.dashboard.datasourceUid: expected a Grafana uid (1 to 40 letters, digits, '-' or '_'); found \"has spaces\"",
            ],
        );
    });
});
