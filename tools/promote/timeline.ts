// A picture of a promotion run for its job summary: per service, the candidate's weight and its
// observed share of traffic, and each watched value against its limit, over time, as Mermaid
// `xychart-beta` charts (GitHub renders them in markdown). Built from the record alone, so a summary
// written after the run shows exactly what was decided on. Pure: values in, markdown out.
import { PromotionSettings } from "../../stacks/config/promotion";
import { RecordEntry } from "./types";

/** Points a chart keeps at most: a long run is downsampled to this many buckets. */
export const MAX_POINTS = 60;
/** Charts a summary holds at most (services × watched values), so the summary stays far below GitHub's 1 MiB a step. */
export const MAX_CHARTS = 40;

/** The value a name in the record is judged against: `trigger:errorRate` → its limit. */
export type Limits = Record<string, number>;

/** The limits the record's names are judged against, from the settings the walk ran with: each trigger's and each gate's. */
export function limitsOf(settings: Pick<PromotionSettings, "triggers" | "gates">): Limits {
    return Object.fromEntries([
        ...Object.entries(settings.triggers).map(([name, check]) => [`trigger:${name}`, check.limit]),
        ...Object.entries(settings.gates).map(([name, check]) => [`gate:${name}`, check.limit]),
    ]);
}

export interface ChartSeries {
    /** Shown in the chart's title, in order: Mermaid's xychart draws no legend. */
    name: string;
    values: number[];
}

export interface Chart {
    title: string;
    /** The x-axis labels (UTC times of day), one per point. */
    times: string[];
    yLabel: string;
    yMax: number;
    series: ChartSeries[];
    /** Said under the chart: what it could not plot. */
    note?: string;
}

/** A label Mermaid takes in quotes: no quote or newline inside. */
const quoted = (text: string) => `"${text.replace(/["\n\r]/g, "'")}"`;
/** A number as Mermaid reads it: plain decimal, at most 4 significant digits. */
const number = (value: number) => {
    const text = String(Number(value.toPrecision(4)));
    return /e/i.test(text) ? value.toFixed(12).replace(/0+$/, "").replace(/\.$/, "") : text;
};

/** One chart as a fenced Mermaid block. */
export function renderChart(chart: Chart): string {
    const lines = [
        "```mermaid",
        "xychart-beta",
        `    title ${quoted(chart.title)}`,
        `    x-axis [${chart.times.map(quoted).join(", ")}]`,
        `    y-axis ${quoted(chart.yLabel)} 0 --> ${number(chart.yMax)}`,
        ...chart.series.map(s => `    line [${s.values.map(number).join(", ")}]`),
        "```",
    ];
    return `${lines.join("\n")}\n${chart.note ? `\n${chart.note}\n` : ""}`;
}

/**
 * At most `max` buckets of consecutive points, in order. A bucket keeps its last time and, per series,
 * `pick` of its values: the worst for a watched value (a peak never vanishes), the last for a weight.
 */
export function downsample<T>(points: T[], max: number): T[][] {
    if (points.length <= max) return points.map(p => [p]);
    const buckets: T[][] = [];
    for (let i = 0; i < max; i++) {
        buckets.push(points.slice(Math.floor((i * points.length) / max), Math.floor(((i + 1) * points.length) / max)));
    }
    return buckets.filter(b => b.length > 0);
}

const timeOf = (at: string) => at.slice(11, 19);
const ceiling = (values: number[]) => {
    const top = Math.max(0, ...values);
    return top === 0 ? 1 : Number((top * 1.1).toPrecision(3));
};

/** The weight chart of one service: the candidate's weight and, where the record has it, its observed share of client requests. */
function weightChart(service: string, checks: RecordEntry[]): Chart | undefined {
    if (!checks.length) return undefined;
    const shared = checks.filter(e => typeof e.values["traffic:share"] === "number" && Number.isFinite(e.values["traffic:share"]));
    // The share line only where every plotted point has one (Mermaid draws no gaps).
    const points = shared.length ? shared : checks;
    const buckets = downsample(points, MAX_POINTS);
    const last = (b: RecordEntry[]) => b[b.length - 1];
    const series: ChartSeries[] = [{ name: "weight", values: buckets.map(b => last(b).weight) }];
    if (shared.length) series.push({ name: "observed share", values: buckets.map(b => last(b).values["traffic:share"] as number) });
    const skipped = checks.length - points.length;
    return {
        title: `${service}: candidate weight and observed share of traffic (%)`,
        times: buckets.map(b => timeOf(last(b).at)),
        yLabel: "%",
        yMax: 100,
        series,
        note:
            skipped > 0 && shared.length
                ? `${skipped} of ${checks.length} readings had no traffic share (not verified yet, or no data): not plotted.`
                : undefined,
    };
}

/** One watched value of one service against its limit. */
function valueChart(service: string, name: string, limit: number, readings: RecordEntry[]): Chart | undefined {
    const withValue = readings.filter(e => typeof e.values[name] === "number");
    const finite = withValue.filter(e => Number.isFinite(e.values[name] as number));
    if (!finite.length) return undefined;
    const buckets = downsample(finite, MAX_POINTS);
    const values = buckets.map(b => Math.max(...b.map(e => e.values[name] as number)));
    const notes = [
        withValue.length > finite.length ? `${withValue.length - finite.length} reading(s) of +Inf (above any limit): not plotted.` : "",
        readings.length > withValue.length ? `${readings.length - withValue.length} reading(s) without data: not plotted.` : "",
    ].filter(Boolean);
    return {
        title: `${service} ${name}: value, then the limit ${number(limit)}`,
        times: buckets.map(b => timeOf(b[b.length - 1].at)),
        yLabel: name.split(":")[1] ?? name,
        yMax: ceiling([...values, limit]),
        series: [
            { name: "value", values },
            { name: "limit", values: values.map(() => limit) },
        ],
        note: notes.length ? notes.join(" ") : undefined,
    };
}

/**
 * Per service, the weight chart and a chart of each watched value that has a limit (the triggers at
 * every tick, the gates at the end of each watch), in the record's order of services.
 */
export function timelineCharts(entries: readonly RecordEntry[], limits: Limits): Chart[] {
    const services = [...new Set(entries.map(e => e.service))];
    const charts: Chart[] = [];
    for (const service of services) {
        const checks = entries.filter(e => e.service === service && e.event === "check");
        const weight = weightChart(
            service,
            checks.filter(e => Object.keys(e.values).some(n => n.startsWith("trigger:") || n === "traffic:share")),
        );
        if (weight) charts.push(weight);
        const names = [...new Set(checks.flatMap(e => Object.keys(e.values)))].filter(n => limits[n] !== undefined);
        for (const name of names) {
            const chart = valueChart(
                service,
                name,
                limits[name],
                checks.filter(e => name in e.values),
            );
            if (chart) charts.push(chart);
        }
    }
    return charts;
}

/** The summary's picture: every chart up to MAX_CHARTS, each a Mermaid block, with a line on how to read them. */
export function timelineMarkdown(entries: readonly RecordEntry[], limits: Limits): string {
    const charts = timelineCharts(entries, limits);
    if (!charts.length) return "";
    const shown = charts.slice(0, MAX_CHARTS);
    return [
        "### Timeline",
        "",
        "Times in UTC. Each chart's lines are in the order its title names them; long runs are downsampled (a watched value keeps the worst reading of each stretch).",
        "",
        ...shown.map(renderChart),
        ...(charts.length > shown.length
            ? [`${charts.length - shown.length} more chart(s) left out; the record (record.jsonl) has every reading.`, ""]
            : []),
    ].join("\n");
}
