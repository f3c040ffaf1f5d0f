import * as fs from "fs";
import * as path from "path";
import { Outcome } from "./machine";
import { Limits, timelineMarkdown } from "./timeline";
import { RecordEntry } from "./types";

const outcomeTitle: Record<Outcome, string> = {
    promoted: "promoted",
    rolledBack: "rolled back",
    withdrawn: "withdrawn to 0 %",
    held: "held",
    failed: "a rollback or withdrawal failed: act now",
};

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

    /**
     * The job summary: a candidate left unwatched first, then the verdict, every decision but the routine
     * checks (with each update's target count and duration), the smoke tests, the last reading of each
     * service, and with `limits` a timeline: the weights and the watched values against their limits.
     */
    markdown(meta: {
        stack: string;
        mode: "live" | "rehearsal";
        outcome: Outcome;
        reason: string;
        unwatched?: string;
        limits?: Limits;
    }): string {
        const decisions = this.entries.filter(e => e.event !== "check" && e.event !== "preflight");
        const lines = [
            ...(meta.unwatched ? [`**${escape(meta.unwatched)}**`, ""] : []),
            `## Promotion of ${meta.stack}${meta.mode === "rehearsal" ? " (rehearsal)" : ""}: ${outcomeTitle[meta.outcome]}`,
            "",
            escape(meta.reason),
            "",
            "| At (UTC) | Service | Weight | Event | Update | Reason |",
            "| --- | --- | ---: | --- | --- | --- |",
            ...decisions.map(e => {
                const update = e.targets ? `${e.targets.length} targets, ${(Math.round((e.durationMs ?? 0) / 100) / 10).toFixed(1)} s` : "";
                return `| ${e.at} | ${e.service} | ${e.weight} % | ${e.event} | ${update} | ${escape(e.reason)} |`;
            }),
        ];
        const smoke = this.entries.filter(e => e.event === "smoke" && e.smoke);
        if (smoke.length) {
            lines.push("", "Smoke tests:", "", "| Service | Job | Result |", "| --- | --- | --- |");
            for (const e of smoke) {
                lines.push(
                    `| ${e.service} | ${e.smoke?.job} | ${e.smoke?.result}${e.smoke?.detail ? `: ${escape(e.smoke.detail)}` : ""} |`,
                );
            }
        }
        const lastChecks = new Map<string, RecordEntry>();
        for (const e of this.entries) if (e.event === "check") lastChecks.set(e.service, e);
        if (lastChecks.size > 0) {
            lines.push("", "Last readings:", "", "| Service | At (UTC) | Values |", "| --- | --- | --- |");
            for (const e of lastChecks.values()) {
                const values = Object.entries(e.values)
                    .map(([name, value]) => `${name} ${value === null ? "no data" : value}`)
                    .join(", ");
                lines.push(`| ${e.service} | ${e.at} | ${escape(values)} |`);
            }
        }
        const timeline = meta.limits ? timelineMarkdown(this.entries, meta.limits) : "";
        if (timeline) lines.push("", timeline.trimEnd());
        return `${lines.join("\n")}\n`;
    }
}

const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
