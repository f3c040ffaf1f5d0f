// The rollout dashboard's JSON (Grafana's dashboard model, schemaVersion 39), built by pure functions
// from what the promotion itself judges with: the queries arrive rendered per service and colour by
// the stack (the same rendering the walk sends to Prometheus) and the limits are the triggers' and
// gates' own. Tests read the JSON directly.
import { CANARY_WEIGHTS, colourObjectName, COLOURS, Colour, Protocol, rolloutAnnotations } from "../../platform";
import { deploymentAnnotationSeries } from "../clusterAddons";

/** Every weight a colour can have: a candidate's canary weight, or what the active colour keeps of it. */
export const COLOUR_WEIGHTS = [...new Set(CANARY_WEIGHTS.flatMap(w => [w, 100 - w]))].sort((a, b) => a - b);

/**
 * A colour's deployed weight as a number. kube-state-metrics gives the colour Deployment's weight
 * annotation as a label value, and PromQL has no label-to-number function, so each possible weight
 * (COLOUR_WEIGHTS) is matched and multiplied by itself; a weight outside them shows no data.
 */
export function weightQuery(namespace: string, service: string, colour: Colour): string {
    const { metric, label } = deploymentAnnotationSeries(rolloutAnnotations.weight);
    const selector = (weight: number) =>
        `${metric}{namespace="${namespace}",deployment="${colourObjectName(service, colour)}",${label}="${weight}"}`;
    return `max(${COLOUR_WEIGHTS.map(w => `${selector(w)} * ${w}`).join(" or ")})`;
}

/** One check as the promotion runs it for one service: its query per colour and its limit. */
export interface RenderedCheck {
    /** `errorRate`, `latencyP95Seconds`: the check's name in promotion.triggers / promotion.gates. */
    name: string;
    kind: "trigger" | "gate";
    limit: number;
    /** PromQL per colour, placeholders filled (`{{window}}` as the dashboard's `$window`). */
    queries: Record<Colour, string>;
}

export interface DashboardService {
    name: string;
    protocol: Protocol;
    /** Each colour's weight as deployed (kube-state-metrics' copy of the colour Deployment's weight annotation). */
    weight: Record<Colour, string>;
    /** Each colour's observed share of client requests, in percent (the promotion's traffic query); http services only. */
    share?: Record<Colour, string>;
    /** Client requests per second to each colour; http services only. */
    requestRate?: Record<Colour, string>;
    checks: RenderedCheck[];
}

export interface DashboardSpec {
    uid: string;
    title: string;
    /** The Grafana data source (uid) that queries the cluster's Prometheus. */
    datasourceUid: string;
    /** The tags every promotion annotation carries (promotion.notifications.grafana.tags); a service's also carry its name. */
    annotationTags: string[];
    /** The steps' watches, in order: the `$window` choices (the gates' queries span the step's watch). */
    watches: string[];
    services: DashboardService[];
}

/** The dashboard JSON model's schema version this builder writes (Grafana 10.4 and 11). */
export const SCHEMA_VERSION = 39;
const GRID_WIDTH = 24;
const PANEL_HEIGHT = 8;
const HALF = GRID_WIDTH / 2;

/** The Prometheus data source of every panel. */
const prometheus = (uid: string) => ({ type: "prometheus", uid });
/** Grafana's own annotation store: where `npm run promote` posts its annotations. */
const GRAFANA_ANNOTATIONS = { type: "grafana", uid: "-- Grafana --" };

/** A Grafana unit for a check by the name's convention: `…Seconds` in seconds, `…Rate` a ratio, else a count. */
export function unitOf(name: string): string {
    if (/Seconds$/.test(name)) return "s";
    if (/Rate$/.test(name)) return "percentunit";
    return "short";
}

/**
 * The thresholds Grafana draws as lines: each limit in order, amber for a gate's (below it to advance),
 * red for a trigger's (above it rolls back). The first step is the base Grafana requires (value null).
 */
export function thresholdSteps(checks: Pick<RenderedCheck, "kind" | "limit">[]): { value: number | null; color: string }[] {
    const steps = [...checks]
        .sort((a, b) => a.limit - b.limit)
        .map(c => ({ value: c.limit, color: c.kind === "trigger" ? "red" : "orange" }));
    return [{ value: null, color: "green" }, ...steps];
}

interface Target {
    refId: string;
    expr: string;
    legendFormat: string;
}
const refId = (i: number) => String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : "");
const targets = (datasourceUid: string, series: { expr: string; legend: string }[]) =>
    series.map((s, i): Target & { datasource: object; range: boolean; instant: boolean } => ({
        datasource: prometheus(datasourceUid),
        refId: refId(i),
        expr: s.expr,
        legendFormat: s.legend,
        range: true,
        instant: false,
    }));

/** One time-series panel; `limits` become threshold lines. */
function timeSeries(
    id: number,
    title: string,
    description: string,
    gridPos: { x: number; y: number; w: number; h: number },
    datasourceUid: string,
    series: { expr: string; legend: string }[],
    field: { unit: string; min?: number; max?: number; limits?: Pick<RenderedCheck, "kind" | "limit">[] },
) {
    return {
        id,
        type: "timeseries",
        title,
        description,
        gridPos,
        datasource: prometheus(datasourceUid),
        targets: targets(datasourceUid, series),
        fieldConfig: {
            defaults: {
                unit: field.unit,
                ...(field.min !== undefined ? { min: field.min } : {}),
                ...(field.max !== undefined ? { max: field.max } : {}),
                color: { mode: "palette-classic" },
                custom: {
                    drawStyle: "line",
                    lineWidth: 2,
                    showPoints: "never",
                    spanNulls: false,
                    thresholdsStyle: { mode: field.limits?.length ? "dashed" : "off" },
                },
                thresholds: { mode: "absolute", steps: thresholdSteps(field.limits ?? []) },
            },
            overrides: [],
        },
        options: {
            legend: { displayMode: "table", placement: "bottom", showLegend: true, calcs: ["lastNotNull", "max"] },
            tooltip: { mode: "multi", sort: "none" },
        },
    };
}

/** Checks by name (a trigger and a gate of the same name share a panel: one value, two limits). */
function checksByName(checks: RenderedCheck[]): [string, RenderedCheck[]][] {
    const names = [...new Set(checks.map(c => c.name))];
    return names.map(name => [name, checks.filter(c => c.name === name)]);
}

const limitText = (c: RenderedCheck) => (c.kind === "trigger" ? `above ${c.limit} rolls back` : `below ${c.limit} to advance`);

/** The panels of one service below its row at `y`, with ids from `firstId`; returns them and the height used. */
export function servicePanels(service: DashboardService, datasourceUid: string, firstId: number, y: number) {
    const panels: ReturnType<typeof timeSeries>[] = [];
    let id = firstId;
    let slot = 0;
    const place = () => {
        const gridPos = { x: (slot % 2) * HALF, y: y + Math.floor(slot / 2) * PANEL_HEIGHT, w: HALF, h: PANEL_HEIGHT };
        slot++;
        return gridPos;
    };
    const perColour = (queries: Record<Colour, string>, suffix = "") =>
        COLOURS.map(colour => ({ expr: queries[colour], legend: `${colour}${suffix}` }));
    panels.push(
        timeSeries(
            id++,
            `${service.name}: weight per colour (%)`,
            "Each colour's share of traffic as deployed (the colour Deployment's weight annotation, which follows the Ingress's forward weights), and as observed (each colour's share of client requests, the promotion's traffic query).",
            place(),
            datasourceUid,
            [...perColour(service.weight, " weight"), ...(service.share ? perColour(service.share, " observed") : [])],
            { unit: "percent", min: 0, max: 100 },
        ),
    );
    if (service.requestRate) {
        panels.push(
            timeSeries(
                id++,
                `${service.name}: client requests per colour`,
                "Client requests per second (probes and scrapes excluded).",
                place(),
                datasourceUid,
                perColour(service.requestRate),
                { unit: "reqps", min: 0 },
            ),
        );
    }
    for (const [name, checks] of checksByName(service.checks)) {
        panels.push(
            timeSeries(
                id++,
                `${service.name}: ${name} per colour (${checks.map(limitText).join("; ")})`,
                checks.map(c => `${c.kind === "trigger" ? "Trigger" : "Gate"} ${name}: ${limitText(c)} (dashed line).`).join(" "),
                place(),
                datasourceUid,
                checks.flatMap(c => perColour(c.queries, ` (${c.kind})`)),
                { unit: unitOf(name), min: 0, limits: checks },
            ),
        );
    }
    return { panels, height: Math.ceil(slot / 2) * PANEL_HEIGHT };
}

/** The whole dashboard: per service a row of panels, the promotion's annotations on each service's own panels, `$window` for the gates. */
export function rolloutDashboard(spec: DashboardSpec) {
    const panels: unknown[] = [];
    const annotations: unknown[] = [
        {
            builtIn: 1,
            name: "Annotations & Alerts",
            datasource: GRAFANA_ANNOTATIONS,
            enable: true,
            hide: true,
            iconColor: "rgba(0, 211, 255, 1)",
            target: { type: "dashboard", limit: 100, matchAny: false, tags: [] },
            type: "dashboard",
        },
    ];
    let id = 1;
    let y = 0;
    for (const service of spec.services) {
        panels.push({
            id: id++,
            type: "row",
            title: service.name,
            collapsed: false,
            gridPos: { x: 0, y, w: GRID_WIDTH, h: 1 },
            panels: [],
        });
        y += 1;
        const built = servicePanels(service, spec.datasourceUid, id, y);
        panels.push(...built.panels);
        id += built.panels.length;
        y += built.height;
        annotations.push({
            name: `promotion: ${service.name}`,
            datasource: GRAFANA_ANNOTATIONS,
            enable: true,
            iconColor: "purple",
            // Every annotation of a promotion that moved this service: its tags hold the configured ones and the service's name.
            target: { type: "tags", tags: [...spec.annotationTags, service.name], matchAny: false, limit: 100 },
            filter: { exclude: false, ids: built.panels.map(p => p.id) },
        });
    }
    const watches = [...new Set(spec.watches)];
    return {
        uid: spec.uid,
        title: spec.title,
        description:
            "Blue-green rollout: each colour's weight, client traffic and the promotion's checks against the limits it judges them by (npm run promote). Declared by the stack: edits here are overwritten.",
        tags: ["promotion", "rollout"],
        timezone: "utc",
        editable: false,
        graphTooltip: 1,
        schemaVersion: SCHEMA_VERSION,
        time: { from: "now-3h", to: "now" },
        refresh: "30s",
        templating: {
            list: [
                {
                    type: "custom",
                    name: "window",
                    label: "gate window (a step's watch)",
                    description: "The gates judge a step over its whole watch: pick the step's.",
                    query: watches.join(","),
                    current: { text: watches[0], value: watches[0], selected: true },
                    options: watches.map((w, i) => ({ text: w, value: w, selected: i === 0 })),
                    multi: false,
                    includeAll: false,
                },
            ],
        },
        annotations: { list: annotations },
        panels,
    };
}
