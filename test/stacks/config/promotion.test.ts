import { strict as assert } from "assert";
import { validateStackConfig } from "../../../stacks/config";
import { defaultGates, defaultTriggers, durationMs, promotionSettings } from "../../../stacks/config/promotion";
import { PROMETHEUS_IN_CLUSTER_URL } from "../../../components/clusterAddons";
import { committedConfig, problemsOf, rawConfig, withSection } from "../../support/stackConfig";

const production = committedConfig("production");
const withPromotion = (edit: (p: Record<string, unknown>) => unknown) => withSection(production, "promotion", p => edit(p ?? {}));

describe("config promotion", () => {
    it("defaults to the seed's steps, triggers and gates, and the add-on's in-cluster Prometheus", () => {
        const { promotion } = validateStackConfig(rawConfig("production", withSection(production, "promotion", () => undefined)));
        const settings = promotionSettings(promotion);
        assert.equal(settings.prometheusUrl, PROMETHEUS_IN_CLUSTER_URL);
        assert.equal(settings.intervalMs, 30_000);
        assert.deepEqual(settings.steps.map(s => [s.weight, s.watchMs / 60_000]), [[5, 5], [25, 10], [50, 15], [100, 10]]);
        assert.deepEqual(Object.fromEntries(Object.entries(settings.triggers).map(([n, t]) => [n, t.limit])), { errorRate: 0.05, latencyP95Seconds: 2, podRestarts: 3, healthCheckFailures: 5 });
        assert.deepEqual(Object.fromEntries(Object.entries(settings.gates).map(([n, g]) => [n, g.limit])), { errorRate: 0.001, latencyP95Seconds: 0.5 });
        assert.ok(Object.keys(settings.comparisons).length > 0, "a comparison gate by default");
    });

    it("the committed production section validates and keeps the seed's numbers", () => {
        const settings = promotionSettings(validateStackConfig(rawConfig("production")).promotion);
        assert.deepEqual(settings.steps.map(s => s.weight), [5, 25, 50, 100]);
        assert.equal(settings.triggers.errorRate.query, defaultTriggers.errorRate.query);
    });

    it("tunes a default by name, replaces its query, adds a new check and removes one with null", () => {
        const config = withPromotion(p => ({
            ...p,
            triggers: { errorRate: { above: 0.02 }, orderRejects: { query: 'sum(rate(orders_rejected_total{service="{{service}}"}[1m]))', above: 1 }, podRestarts: null },
            gates: { latencyP95Seconds: { query: "my_p95{service=\"{{service}}\"}", below: 0.3 } },
        }));
        const settings = promotionSettings(validateStackConfig(rawConfig("production", config)).promotion);
        assert.deepEqual(settings.triggers.errorRate, { query: defaultTriggers.errorRate.query, limit: 0.02 });
        assert.equal(settings.triggers.orderRejects.limit, 1);
        assert.equal(settings.triggers.podRestarts, undefined);
        assert.ok(settings.triggers.healthCheckFailures, "other defaults stay");
        assert.deepEqual(settings.gates.latencyP95Seconds, { query: 'my_p95{service="{{service}}"}', limit: 0.3 });
        assert.equal(settings.gates.errorRate.query, defaultGates.errorRate.query);
    });

    it("refuses steps out of the canary sequence, out of order, not ending at 100, or shorter than the interval", () => {
        const config = withPromotion(p => ({ ...p, interval: "1m", steps: [{ weight: 10, watch: "5m" }, { weight: 50, watch: "30s" }, { weight: 25, watch: "5m" }] }));
        assert.deepEqual(problemsOf("production", config), [
            "- production: trading-platform:promotion.steps.0.weight: expected one of the canary weights 5, 25, 50, 100; found 10",
            '- production: trading-platform:promotion.steps.1.watch: expected a watch at least one interval (1m) long; found "30s"',
            "- production: trading-platform:promotion.steps.2.weight: expected a weight above the previous step's (50); found 25",
            "- production: trading-platform:promotion.steps.2.weight: expected 100 as the last step (the promotion ends in a full cutover); found 25",
        ]);
    });

    it("refuses a bad duration, an unknown placeholder, a new check without a query, and the section in staging", () => {
        const config = withPromotion(p => ({ ...p, interval: "30 seconds", triggers: { errors: { query: "x{{pod}}", above: 1 } } }));
        const problems = problemsOf("production", config);
        assert.ok(problems.some(p => p.startsWith('- production: trading-platform:promotion.interval: expected a duration such as 30s, 5m or 1h; found "30 seconds"')), problems.join("\n"));
        assert.ok(problems.some(p => /promotion\.triggers\.errors\.query: expected a PromQL template using only \{\{namespace\}\}/.test(p)), problems.join("\n"));
        const noQuery = withPromotion(p => ({ ...p, triggers: { latency: { above: 2 } } }));
        assert.deepEqual(problemsOf("production", noQuery), [
            "- production: trading-platform:promotion.triggers.latency.query: expected a PromQL query (latency has no default; defaults exist for errorRate, latencyP95Seconds, podRestarts, healthCheckFailures); found nothing",
        ]);

        const staging = withSection(committedConfig("staging"), "promotion", () => ({}));
        assert.deepEqual(problemsOf("staging", staging), [
            "- staging: trading-platform:promotion: expected no promotion section: staging rolls its services, only production promotes step by step; found a promotion section",
        ]);
    });

    it("reads durations in Prometheus units", () => {
        assert.deepEqual(["500ms", "30s", "5m", "1h"].map(durationMs), [500, 30_000, 300_000, 3_600_000]);
        assert.throws(() => durationMs("5 minutes"), /not a duration/);
    });
});
