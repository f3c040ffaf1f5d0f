import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { COLOUR_WEIGHTS, rolloutDashboard, RolloutDashboard, thresholdSteps, weightQuery } from "../../../components/rolloutDashboard";
import { defaultFacts } from "../../../tools/promote/machine";
import { PrometheusSource, renderQuery } from "../../../tools/promote/prometheus";
import { validateStackConfig } from "../../../stacks/config";
import { promotionSettings } from "../../../stacks/config/promotion";
import { dashboardSpec, WINDOW_VARIABLE } from "../../../stacks/dashboard";
import { declareIn, ofType, one } from "../../support/components";
import { startPrometheus } from "../../support/prometheus";
import { rawConfig } from "../../support/stackConfig";

// The rollout dashboard as the committed production stack declares it: its JSON is Grafana's dashboard
// model, every query is the one the promotion sends (only {{window}} left to the dashboard's variable),
// every limit is the promotion's own, and Prometheus parses every query.

const config = validateStackConfig(rawConfig("production"));
const settings = promotionSettings(config.promotion);
const spec = dashboardSpec(config);
const dashboard = rolloutDashboard(spec);
type Panel = {
    id: number;
    type: string;
    title: string;
    gridPos: { x: number; y: number; w: number; h: number };
    targets?: { refId: string; expr: string; legendFormat: string; datasource: { uid: string } }[];
    fieldConfig?: { defaults: { thresholds: { steps: { value: number | null }[] } } };
};
const panels = dashboard.panels as Panel[];
const series = panels.filter(p => p.type === "timeseries");

describe("component RolloutDashboard: the dashboard JSON", () => {
    it("is a Grafana dashboard model: uid, schema version, unique panel ids, a 24-column grid without overlaps, one data source", () => {
        assert.equal(dashboard.uid, "trading-rollout");
        assert.equal(dashboard.schemaVersion, 39);
        assert.deepEqual(JSON.parse(JSON.stringify(dashboard)), dashboard, "plain JSON");
        const ids = panels.map(p => p.id);
        assert.equal(new Set(ids).size, ids.length);
        for (const p of panels) {
            assert.ok(p.gridPos.x >= 0 && p.gridPos.x + p.gridPos.w <= 24 && p.gridPos.h > 0, `${p.title}: ${JSON.stringify(p.gridPos)}`);
        }
        for (const [i, a] of panels.entries()) {
            for (const b of panels.slice(i + 1)) {
                const overlap =
                    a.gridPos.x < b.gridPos.x + b.gridPos.w &&
                    b.gridPos.x < a.gridPos.x + a.gridPos.w &&
                    a.gridPos.y < b.gridPos.y + b.gridPos.h &&
                    b.gridPos.y < a.gridPos.y + a.gridPos.h;
                assert.ok(!overlap, `${a.title} overlaps ${b.title}`);
            }
        }
        for (const p of series) {
            assert.ok(p.targets?.length, p.title);
            assert.equal(new Set(p.targets?.map(t => t.refId)).size, p.targets?.length, `${p.title}: refIds`);
            assert.ok(p.targets?.every(t => t.datasource.uid === "prometheus-trading-prod"));
        }
        assert.deepEqual(
            dashboard.templating.list.map(v => [v.name, v.query]),
            [["window", "5m,10m,15m"]],
        );
    });

    it("has a row per blue-green service, FIX without HTTP panels, and the promotion's annotations on that service's panels", () => {
        assert.deepEqual(
            panels.filter(p => p.type === "row").map(p => p.title),
            ["api", "websocket", "fix-gateway"],
        );
        assert.deepEqual(
            series.filter(p => p.title.startsWith("fix-gateway")).map(p => p.title.split(":")[1].split(" per ")[0].trim()),
            ["weight", "podRestarts", "healthCheckFailures"],
        );
        const list = dashboard.annotations.list as {
            name: string;
            builtIn?: number;
            target: { type: string; tags: string[]; matchAny: boolean };
            filter?: { ids: number[] };
        }[];
        assert.equal(list[0].builtIn, 1);
        for (const service of ["api", "websocket", "fix-gateway"]) {
            const query = list.find(a => a.name === `promotion: ${service}`);
            // The walk tags each annotation with the configured tags, "promotion", the event and the services it moved (tools/promote/notify.ts).
            assert.deepEqual(query?.target, { type: "tags", tags: ["promotion", "production", service], matchAny: false, limit: 100 });
            assert.deepEqual(
                query?.filter?.ids,
                series.filter(p => p.title.startsWith(`${service}:`)).map(p => p.id),
            );
        }
    });

    it("draws each trigger's and gate's own limit as the panel's thresholds", () => {
        for (const service of ["api", "websocket"]) {
            for (const name of ["errorRate", "latencyP95Seconds"]) {
                const panel = series.find(p => p.title.startsWith(`${service}: ${name} per colour`));
                const limits = panel?.fieldConfig?.defaults.thresholds.steps.map(s => s.value);
                assert.deepEqual(
                    limits,
                    [null, settings.gates[name].limit, settings.triggers[name].limit].sort((a, b) => (a ?? -1) - (b ?? -1)),
                    `${service} ${name}`,
                );
            }
            for (const name of ["podRestarts", "healthCheckFailures"]) {
                const panel = series.find(p => p.title.startsWith(`${service}: ${name} per colour`));
                assert.deepEqual(
                    panel?.fieldConfig?.defaults.thresholds.steps.map(s => s.value),
                    [null, settings.triggers[name].limit],
                );
            }
        }
        assert.deepEqual(
            thresholdSteps([
                { kind: "trigger", limit: 0.05 },
                { kind: "gate", limit: 0.001 },
            ]),
            [
                { value: null, color: "green" },
                { value: 0.001, color: "orange" },
                { value: 0.05, color: "red" },
            ],
        );
    });

    it("renders every check exactly as the promotion sends it: with a step's watch for $window, each query is the walk's", () => {
        for (const s of spec.services) {
            for (const check of s.checks) {
                const source = (check.kind === "trigger" ? settings.triggers : settings.gates)[check.name];
                for (const step of settings.steps) {
                    for (const colour of ["blue", "green"] as const) {
                        const walk = renderQuery(source.query, {
                            namespace: "trading-prod",
                            service: s.name,
                            colour,
                            window: step.watch,
                            excludedPaths: defaultFacts.excludedPaths,
                        });
                        assert.equal(
                            check.queries[colour].split(WINDOW_VARIABLE).join(step.watch),
                            walk,
                            `${s.name} ${check.kind}:${check.name} ${colour} at ${step.watch}`,
                        );
                    }
                }
                const panel = series.find(p => p.title.startsWith(`${s.name}: ${check.name} per colour`));
                assert.ok(panel?.targets?.some(t => t.expr === check.queries.green && t.legendFormat === `green (${check.kind})`));
            }
        }
    });

    it("with the tuned limits of a stack's config, the thresholds follow", () => {
        const tuned = {
            ...config,
            promotion: { ...config.promotion!, triggers: { errorRate: { above: 0.02 } }, gates: { latencyP95Seconds: { below: 0.3 } } },
        };
        const panelsOf = rolloutDashboard(dashboardSpec(tuned as typeof config)).panels as Panel[];
        const steps = (title: string) =>
            panelsOf.find(p => p.title.startsWith(title))?.fieldConfig?.defaults.thresholds.steps.map(s => s.value);
        assert.deepEqual(steps("api: errorRate per colour"), [null, 0.001, 0.02]);
        assert.deepEqual(steps("api: latencyP95Seconds per colour"), [null, 0.3, 2]);
    });
});

describe("component RolloutDashboard: against a real Prometheus", () => {
    const T = new Date("2026-11-17T15:00:00Z");
    let prometheus: { url: string; stop(): Promise<void> };
    before(async () => {
        const seconds = T.getTime() / 1000;
        const lines = ["# TYPE kube_deployment_annotations gauge"];
        // kube-state-metrics' series of the colour Deployments' weight annotation: api at 25 %, green the candidate.
        for (const [deployment, weight] of [
            ["api-blue", 75],
            ["api-green", 25],
        ] as const) {
            for (const t of [seconds - 60, seconds]) {
                lines.push(
                    `kube_deployment_annotations{namespace="trading-prod",deployment="${deployment}",annotation_trading_platform_traffic_weight="${weight}"} 1 ${t}`,
                );
            }
        }
        prometheus = await startPrometheus(`${lines.join("\n")}\n# EOF\n`);
    });
    after(async () => prometheus?.stop());

    it("reads each colour's weight from kube-state-metrics' annotation series as a number", async () => {
        const source = new PrometheusSource(prometheus.url);
        const read = async (colour: "blue" | "green") =>
            (await source.query(weightQuery("trading-prod", "api", colour), T)).samples.map(s => s.value);
        assert.deepEqual(await read("green"), [25]);
        assert.deepEqual(await read("blue"), [75]);
        assert.deepEqual(COLOUR_WEIGHTS, [0, 5, 25, 50, 75, 95, 100]);
    });

    it("every query of every panel is PromQL Prometheus accepts", async () => {
        const source = new PrometheusSource(prometheus.url);
        const exprs = [...new Set(series.flatMap(p => p.targets?.map(t => t.expr.split(WINDOW_VARIABLE).join("5m")) ?? []))];
        assert.ok(exprs.length > 30, `${exprs.length} queries`);
        for (const expr of exprs) {
            const reading = await source.query(expr, T);
            assert.notEqual(reading.failure, "refused", `${expr}: ${reading.error}`);
            assert.equal(reading.failure, undefined, `${expr}: ${reading.error}`);
        }
    });
});

describe("component RolloutDashboard: what it declares", () => {
    it("a folder and the dashboard through the stack's Grafana provider, the JSON as built, the provider's token a secret", async () => {
        const resources = await declareIn("production", () => {
            const grafanaProvider = new grafana.Provider("grafana", {
                url: "https://grafana.trading-engine.com",
                auth: pulumi.secret("glsa_never_in_plain_inputs"),
            });
            new RolloutDashboard(
                "rollout",
                { folder: { uid: "trading-platform", title: "Trading platform" }, dashboard: spec },
                { providers: { grafana: grafanaProvider } },
            );
        });
        const component = one(resources, "trading-platform:grafana:RolloutDashboard");
        const folder = one(resources, "grafana:oss/folder:Folder");
        const board = one(resources, "grafana:oss/dashboard:Dashboard");
        const provider = one(resources, "pulumi:providers:grafana");
        assert.equal(folder.parent, component.urn);
        assert.equal(board.parent, component.urn);
        assert.deepEqual(folder.inputs, { uid: "trading-platform", title: "Trading platform" });
        assert.deepEqual(JSON.parse(board.inputs.configJson as string), dashboard);
        assert.equal(board.inputs.overwrite, true);
        assert.ok(String(board.provider).startsWith(provider.urn), "the stack's provider, not a default one");
        assert.deepEqual(provider.secretPaths, ["auth"]);
        assert.equal(ofType(resources, "grafana:oss/dashboard:Dashboard").length, 1);
    });
});
