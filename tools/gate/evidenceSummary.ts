// Renders release-evidence verdicts: plain text for the log, markdown for the job summary.
import { DigestVerdict } from "./evidence";

export function renderEvidenceText(verdicts: DigestVerdict[]): string {
    const lines: string[] = [];
    for (const v of verdicts) {
        lines.push(`${v.passed ? "PASS" : "REFUSED"} ${v.digest} (${v.images.join(", ")})`);
        for (const r of v.refusals) lines.push(`  refused: ${r.file}: ${r.rule}; found ${r.found}`);
        for (const w of v.warnings) lines.push(`  warning: ${w}`);
    }
    return lines.map(l => `${l}\n`).join("");
}

/** Markdown table cells: a pipe or a newline would break the row. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

export function renderEvidenceMarkdown(verdicts: DigestVerdict[]): string {
    const refused = verdicts.filter(v => !v.passed).length;
    const lines = [
        "## Release evidence",
        "",
        refused === 0
            ? `Every new image (${verdicts.length}) has a passing scan and staging load test.`
            : `**${refused} of ${verdicts.length} new image(s) refused.**`,
        "",
        "| Digest | Images | Verdict | Details |",
        "| --- | --- | --- | --- |",
    ];
    for (const v of verdicts) {
        const details = [
            ...v.refusals.map(r => `refused: \`${r.file}\`: ${r.rule}; found ${r.found}`),
            ...v.warnings.map(w => `warning: ${w}`),
        ];
        lines.push(
            `| \`${v.digest}\` | ${cell(v.images.join("<br>"))} | ${v.passed ? "✅ pass" : "❌ refused"} | ${cell(details.join("<br>")) || "—"} |`,
        );
    }
    return lines.join("\n") + "\n";
}
