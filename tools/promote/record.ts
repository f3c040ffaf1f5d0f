import * as fs from "fs";
import * as path from "path";
import { Outcome } from "./machine";
import { RecordEntry } from "./types";

const outcomeTitle: Record<Outcome, string> = { promoted: "promoted", rolledBack: "rolled back", held: "held" };

/**
 * The promotion's record: every decision in order. With a file, each entry is appended as one JSON line
 * the moment it is taken, so a runner that dies leaves the record up to its last decision.
 */
export class PromotionRecord {
    readonly entries: RecordEntry[] = [];

    constructor(private readonly file?: string) {
        if (file) {
            fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
            fs.writeFileSync(file, "");
        }
    }

    add(entry: RecordEntry): void {
        this.entries.push(entry);
        if (this.file) fs.appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    }

    /** The job summary: the verdict, then every decision but the routine checks, then the last reading of each service. */
    markdown(meta: { stack: string; mode: "live" | "rehearsal"; outcome: Outcome; reason: string }): string {
        const decisions = this.entries.filter(e => e.event !== "check");
        const lines = [
            `## Promotion of ${meta.stack}${meta.mode === "rehearsal" ? " (rehearsal)" : ""}: ${outcomeTitle[meta.outcome]}`,
            "",
            meta.reason,
            "",
            "| At (UTC) | Service | Weight | Event | Reason |",
            "| --- | --- | ---: | --- | --- |",
            ...decisions.map(e => `| ${e.at} | ${e.service} | ${e.weight} % | ${e.event} | ${escape(e.reason)} |`),
        ];
        const lastChecks = new Map<string, RecordEntry>();
        for (const e of this.entries) if (e.event === "check") lastChecks.set(e.service, e);
        if (lastChecks.size > 0) {
            lines.push("", "Last readings:", "", "| Service | At (UTC) | Values |", "| --- | --- | --- |");
            for (const e of lastChecks.values()) {
                const values = Object.entries(e.values).map(([name, value]) => `${name} ${value === null ? "no data" : value}`).join(", ");
                lines.push(`| ${e.service} | ${e.at} | ${escape(values)} |`);
            }
        }
        return `${lines.join("\n")}\n`;
    }
}

const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
