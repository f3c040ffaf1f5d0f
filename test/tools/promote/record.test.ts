import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PromotionRecord } from "../../../tools/promote/record";
import { RecordEntry } from "../../../tools/promote/types";
import { tempDir } from "../../support/cli";

const entry = (event: RecordEntry["event"], weight: number, reason: string, values: RecordEntry["values"] = {}): RecordEntry => ({
    at: "2026-11-17T15:05:00.000Z",
    service: "api",
    weight,
    event,
    values,
    reason,
});

describe("promotion record", () => {
    it("appends one JSON line per decision as it is taken, starting the file afresh", () => {
        const file = path.join(tempDir(), "nested", "record.jsonl");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, "an earlier run\n");
        const record = new PromotionRecord(file);
        record.add(entry("step", 5, "candidate at 5 %"));
        assert.equal(fs.readFileSync(file, "utf8").split("\n").length, 2, "written at once, the old content gone");
        record.add(entry("check", 5, "30s of 5m watched", { "trigger:errorRate": 0.001, "trigger:podRestarts": null }));
        const lines = fs
            .readFileSync(file, "utf8")
            .trim()
            .split("\n")
            .map(l => JSON.parse(l));
        assert.deepEqual(lines[1].values, { "trigger:errorRate": 0.001, "trigger:podRestarts": null });
    });

    it("renders the job summary: the verdict, every decision but routine checks, the last readings, pipes escaped", () => {
        const record = new PromotionRecord();
        record.add(entry("step", 25, "candidate at 25 %"));
        record.add(entry("check", 25, "trigger breached", { "trigger:errorRate": 0.31, "trigger:podRestarts": null }));
        record.add(entry("rollback", 0, "at 25 %: api trigger:errorRate 0.31 > 0.05 | websocket fine"));
        const markdown = record.markdown({
            stack: "production",
            mode: "live",
            outcome: "rolledBack",
            reason: "at 25 %: api trigger:errorRate 0.31 > 0.05",
        });
        assert.match(markdown, /^## Promotion of production: rolled back\n/);
        assert.match(markdown, /\| 2026-11-17T15:05:00.000Z \| api \| 25 % \| step \| {2}\| candidate at 25 % \|/);
        assert.match(markdown, /\| api \| 0 % \| rollback \| {2}\| at 25 %: api trigger:errorRate 0.31 > 0.05 \\\| websocket fine \|/);
        assert.ok(!/\| check \|/.test(markdown), "routine checks stay in the JSON record");
        assert.match(markdown, /\| api \| 2026-11-17T15:05:00.000Z \| trigger:errorRate 0.31, trigger:podRestarts no data \|/);
    });

    it("says first when a candidate is left unwatched, and shows each update's targets and duration and each smoke test", () => {
        const record = new PromotionRecord();
        record.add({
            ...entry("smoke", 0, "smoke test api-green-smoke-11c2d06094 passed"),
            smoke: { service: "api", job: "api-green-smoke-11c2d06094", result: "passed" },
            targets: ["a", "b"],
            durationMs: 41_234,
        });
        record.add({ ...entry("step", 25, "candidate at 25 %"), targets: ["urn:1", "urn:2", "urn:3"], durationMs: 12_345 });
        record.add(entry("hold", 25, "gates not met"));
        const unwatched = "UNWATCHED: api at 25 % carries live traffic that nobody watches (promotion.onHold: keep). Decide now: …";
        const markdown = record.markdown({ stack: "production", mode: "live", outcome: "held", reason: "gates not met", unwatched });
        assert.equal(markdown.split("\n")[0], `**${unwatched}**`);
        assert.match(markdown, /\| api \| 25 % \| step \| 3 targets, 12\.3 s \| candidate at 25 % \|/);
        assert.match(
            markdown,
            /Smoke tests:\n\n\| Service \| Job \| Result \|\n\| --- \| --- \| --- \|\n\| api \| api-green-smoke-11c2d06094 \| passed \|/,
        );
    });
});
