import { strict as assert } from "assert";
import { promotionSchema, promotionSettings } from "../../../stacks/config/promotion";
import { PromotionRecord } from "../../../tools/promote/record";
import { downsample, limitsOf, MAX_CHARTS, MAX_POINTS, timelineCharts, timelineMarkdown } from "../../../tools/promote/timeline";
import { RecordEntry } from "../../../tools/promote/types";
import { parseXyCharts } from "../../support/mermaid";

const T0 = Date.parse("2026-11-17T15:00:00Z");
const check = (service: string, second: number, weight: number, values: RecordEntry["values"]): RecordEntry => ({
    at: new Date(T0 + second * 1000).toISOString(),
    service,
    weight,
    event: "check",
    values,
    reason: "",
});
const limits = limitsOf(promotionSettings(undefined));

describe("promotion timeline (the job summary's charts)", () => {
    it("takes each trigger's and gate's limit from the settings the walk ran with", () => {
        assert.deepEqual(limits, {
            "trigger:errorRate": 0.05,
            "trigger:latencyP95Seconds": 2,
            "trigger:podRestarts": 3,
            "trigger:healthCheckFailures": 5,
            "gate:errorRate": 0.001,
            "gate:latencyP95Seconds": 0.5,
        });
        const tuned = promotionSettings(promotionSchema.parse({ triggers: { errorRate: { above: 0.02 } } }));
        assert.equal(limitsOf(tuned)["trigger:errorRate"], 0.02);
    });

    it("places each value and its limit at the reading's time, and the weight beside the observed share", () => {
        const entries = [
            { ...check("api", 0, 5, {}), event: "step" as const },
            check("api", 30, 5, { "trigger:errorRate": 0.001, "traffic:share": 4.8 }),
            check("api", 60, 5, { "trigger:errorRate": 0.002, "traffic:share": 5.1 }),
            check("api", 300, 5, { "gate:errorRate": 0.0004, "comparison:errorRate": 0.0004, "active:errorRate": 0.0003 }),
            check("api", 330, 25, { "trigger:errorRate": 0.09, "traffic:share": 24.6 }),
        ];
        const markdown = timelineMarkdown(entries, limits);
        const { charts, problems } = parseXyCharts(markdown);
        assert.deepEqual(problems, []);
        assert.deepEqual(
            charts.map(c => c.title),
            [
                "api: candidate weight and observed share of traffic (%)",
                "api trigger:errorRate: value, then the limit 0.05",
                "api gate:errorRate: value, then the limit 0.001",
            ],
        );
        const [weight, trigger, gate] = charts;
        assert.deepEqual(weight.xLabels, ["15:00:30", "15:01:00", "15:05:30"]);
        assert.deepEqual(weight.lines, [
            [5, 5, 25],
            [4.8, 5.1, 24.6],
        ]);
        assert.deepEqual(weight.yAxis, { label: "%", min: 0, max: 100 });
        assert.deepEqual(trigger.lines, [
            [0.001, 0.002, 0.09],
            [0.05, 0.05, 0.05],
        ]);
        assert.ok(trigger.yAxis.max >= 0.09, "the breach is inside the chart");
        assert.deepEqual(gate.xLabels, ["15:05:00"]);
        assert.deepEqual(gate.lines, [[0.0004], [0.001]]);
        assert.ok(gate.yAxis.max > 0.001, "the limit is inside the chart");
        assert.ok(!/comparison|active/.test(markdown), "a comparison has a margin, not a limit: not charted");
    });

    it("never plots what was not measured: no data and +Inf are left out and said under the chart", () => {
        const entries = [
            check("api", 30, 5, { "trigger:latencyP95Seconds": null }),
            check("api", 60, 5, { "trigger:latencyP95Seconds": 0.4 }),
            check("api", 90, 5, { "trigger:latencyP95Seconds": Infinity }),
        ];
        const [, latency] = timelineCharts(entries, limits);
        assert.deepEqual(
            latency.series.map(s => s.values),
            [[0.4], [2]],
        );
        assert.equal(latency.note, "1 reading(s) of +Inf (above any limit): not plotted. 1 reading(s) without data: not plotted.");
        assert.deepEqual(parseXyCharts(timelineMarkdown(entries, limits)).problems, []);
    });

    it("downsamples a long run, keeping each stretch's worst reading, and stays small", () => {
        const entries: RecordEntry[] = [];
        for (const service of ["api", "websocket", "orders"]) {
            for (let i = 0; i < 10_000; i++) {
                entries.push(
                    check(service, i * 30, i < 5000 ? 5 : 25, {
                        "trigger:errorRate": i === 7777 ? 0.3 : 0.001,
                        "trigger:podRestarts": 0,
                        "traffic:share": 5,
                        "gate:errorRate": 0.0005,
                    }),
                );
            }
        }
        const markdown = timelineMarkdown(entries, limits);
        const { charts, problems } = parseXyCharts(markdown);
        assert.deepEqual(problems, []);
        assert.ok(charts.every(c => c.xLabels.length <= MAX_POINTS));
        const api = charts.find(c => c.title?.startsWith("api trigger:errorRate"));
        assert.ok(api?.lines[0].includes(0.3), "the breach survives the downsampling");
        assert.equal(charts.find(c => c.title?.startsWith("api:"))?.lines[0].at(-1), 25);
        assert.ok(Buffer.byteLength(markdown) < 64 * 1024, `${Buffer.byteLength(markdown)} bytes`);
        assert.deepEqual(downsample([1, 2, 3, 4, 5], 2), [
            [1, 2],
            [3, 4, 5],
        ]);
    });

    it("holds at most MAX_CHARTS charts and says how many it left out", () => {
        const entries = Array.from({ length: 20 }, (_, i) =>
            check(`svc-${i}`, 30, 5, { "trigger:errorRate": 0.001, "trigger:podRestarts": 0, "trigger:healthCheckFailures": 0 }),
        );
        const markdown = timelineMarkdown(entries, limits);
        assert.equal(parseXyCharts(markdown).charts.length, MAX_CHARTS);
        assert.match(markdown, /^40 more chart\(s\) left out; the record \(record\.jsonl\) has every reading\.$/m);
    });

    it("is part of the record's summary when the limits are given, after the table", () => {
        const record = new PromotionRecord();
        record.add({ ...check("api", 0, 5, {}), event: "step" });
        record.add(check("api", 30, 5, { "trigger:errorRate": 0.001 }));
        const markdown = record.markdown({ stack: "production", mode: "live", outcome: "held", reason: "x", limits });
        assert.ok(markdown.indexOf("### Timeline") > markdown.indexOf("| At (UTC) |"));
        assert.equal(parseXyCharts(markdown).charts.length, 2);
        assert.ok(!record.markdown({ stack: "production", mode: "live", outcome: "held", reason: "x" }).includes("mermaid"));
    });

    it("the grammar check itself refuses what Mermaid would", () => {
        const bad = [
            '```mermaid\nxychart-beta\n    x-axis [a, b]\n    y-axis "v" 0 --> 1\n    line [1, 2]\n```\n',
            '```mermaid\nxychart-beta\n    x-axis ["a"]\n    y-axis "v" 0 --> 1\n    line [1, 2]\n```\n',
            '```mermaid\nxychart-beta\n    x-axis ["a"]\n    y-axis "v" 0 --> 1\n    line [Infinity]\n```\n',
        ];
        for (const text of bad) assert.notDeepEqual(parseXyCharts(text).problems, [], text);
    });
});
