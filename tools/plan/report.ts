import { PlanDiff, PlanDocument } from "./document";
import { PolicyViolation } from "../engine/policyEngine";
import { severities } from "../../policy/lib/metadata";

/** A violation's severity's place, most severe first; one without a severity sorts last. */
const severityRank = (v: PolicyViolation) => (v.severity ? severities.indexOf(v.severity) : severities.length);
/** The level, and the severity when the policy carries one: "mandatory, severity critical". */
const levelAndSeverity = (v: PolicyViolation) => (v.severity ? `${v.enforcementLevel}, severity ${v.severity}` : v.enforcementLevel);

function groupByPolicy(violations: PolicyViolation[]): [string, PolicyViolation[]][] {
    const groups = new Map<string, PolicyViolation[]>();
    for (const v of violations) groups.set(v.policyName, [...(groups.get(v.policyName) ?? []), v]);
    // Mandatory groups first, then the most severe, then by name, so the blocking, harmful problems lead.
    return [...groups.entries()].sort(([a, va], [b, vb]) => {
        const rank = (vs: PolicyViolation[]) => (vs.some(v => v.enforcementLevel === "mandatory") ? 0 : 1);
        return rank(va) - rank(vb) || severityRank(va[0]) - severityRank(vb[0]) || a.localeCompare(b);
    });
}

function verdict(doc: PlanDocument): string {
    const { summary } = doc;
    if (summary.passed) return "PASSED: no mandatory policy violation";
    const parts = [];
    if (summary.mandatoryViolations) parts.push(`${summary.mandatoryViolations} mandatory violation(s)`);
    if (summary.policyErrors) parts.push(`${summary.policyErrors} policy error(s)`);
    return `FAILED: ${parts.join(" and ")}`;
}

const what = (doc: PlanDocument) =>
    doc.source === "program"
        ? `Offline plan of stack "${doc.stack}"`
        : doc.source === "manifests"
          ? `Policy check of manifests (stack "${doc.stack}")`
          : `Policy check of a plan of stack "${doc.stack}"`;

const diffHeadline = (diff: PlanDiff) =>
    `${diff.added.length} to add, ${diff.changed.length} to change, ${diff.removed.length} to remove, ${diff.unchanged} unchanged`;

function diffText(diff: PlanDiff): string[] {
    const lines = [`Changes against the base plan: ${diffHeadline(diff)}`];
    for (const r of diff.added) lines.push(`  + ${r.urn}`);
    for (const r of diff.removed) lines.push(`  - ${r.urn}`);
    for (const r of diff.changed) {
        lines.push(`  ~ ${r.urn}`);
        for (const p of r.properties) lines.push(`      ${p.path}: ${showValue(p.before)} => ${showValue(p.after)}`);
    }
    return lines;
}

/** The summary printed on the terminal: resources by type, then violations grouped by policy. */
export function renderText(doc: PlanDocument): string {
    const lines: string[] = [];
    lines.push(`${what(doc)} (project ${doc.project})`, "");
    if (doc.diff) lines.push(...diffText(doc.diff), "");
    lines.push(`Resources: ${doc.summary.resources}`);
    for (const [type, count] of Object.entries(doc.summary.resourcesByType)) {
        lines.push(`  ${String(count).padStart(4)}  ${type}`);
    }
    lines.push("");
    lines.push(
        `Policies: pack ${doc.policyPack.name}@${doc.policyPack.version}, ${Object.keys(doc.policyPack.levels).length} policies; ` +
            `${doc.summary.mandatoryViolations} mandatory, ${doc.summary.advisoryViolations} advisory, ${doc.summary.policyErrors} error(s)`,
    );
    for (const [policy, violations] of groupByPolicy(doc.policyResults.violations)) {
        lines.push("", `  ${policy} [${levelAndSeverity(violations[0])}] — ${violations.length} violation(s)`);
        for (const v of violations) {
            lines.push(`    ${v.urn ?? "(stack)"}`);
            for (const line of (v.detail || v.description).split("\n")) lines.push(`      ${line}`);
        }
    }
    for (const e of doc.policyResults.errors) {
        lines.push("", `  ${e.policyName} [error] — the policy threw`, `    ${e.urn ?? "(stack)"}`, `      ${e.message}`);
    }
    for (const w of doc.policyResults.warnings) lines.push("", `  warning: ${w}`);
    if (doc.policyResults.remediations.length > 0) {
        lines.push("", `Remediated: ${doc.policyResults.remediations.map(r => `${r.policyName} on ${r.urn}`).join("; ")}`);
    }
    lines.push("", verdict(doc));
    return lines.join("\n") + "\n";
}

const escapeCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, "<br>");

function diffMarkdown(diff: PlanDiff): string[] {
    const lines = [`#### Changes in this pull request`, "", `${diffHeadline(diff)}.`, ""];
    if (diff.added.length + diff.removed.length + diff.changed.length === 0) return [...lines, "No resource changes.", ""];
    lines.push("| | Resource | Changed properties |", "| --- | --- | --- |");
    for (const r of diff.added) lines.push(`| ➕ | \`${r.urn}\` | |`);
    for (const r of diff.removed) lines.push(`| ➖ | \`${r.urn}\` | |`);
    for (const r of diff.changed) {
        const shown = r.properties
            .slice(0, 8)
            .map(p => `\`${p.path}\`: ${escapeCell(showValue(p.before))} → ${escapeCell(showValue(p.after))}`);
        if (r.properties.length > 8) shown.push(`… and ${r.properties.length - 8} more`);
        lines.push(`| 🔄 | \`${r.urn}\` | ${shown.join("<br>")} |`);
    }
    return [...lines, ""];
}

/** A report for a pull-request comment. The first line is a marker the workflow finds to edit in place. */
export function renderMarkdown(doc: PlanDocument, extra: string[] = []): string {
    const icon = doc.summary.passed ? "✅" : "❌";
    const lines: string[] = [];
    lines.push(`<!-- trading-platform-plan:${doc.stack} -->`);
    lines.push(`### ${icon} ${what(doc)}`, "");
    lines.push(
        `**${verdict(doc)}** — ${doc.summary.resources} resources, policy pack \`${doc.policyPack.name}@${doc.policyPack.version}\`.`,
        "",
    );
    lines.push(...extra);
    if (doc.diff) lines.push(...diffMarkdown(doc.diff));
    lines.push("<details><summary>Resources by type</summary>", "", "| Type | Count |", "| --- | ---: |");
    for (const [type, count] of Object.entries(doc.summary.resourcesByType)) lines.push(`| \`${type}\` | ${count} |`);
    lines.push("", "</details>", "");
    const groups = groupByPolicy(doc.policyResults.violations);
    if (groups.length > 0 || doc.policyResults.errors.length > 0) {
        lines.push("#### Policy violations", "", "| Policy | Level | Severity | Resource | Message |", "| --- | --- | --- | --- | --- |");
        for (const [, violations] of groups) {
            for (const v of violations) {
                lines.push(
                    `| \`${v.policyName}\` | ${v.enforcementLevel} | ${v.severity ?? ""} | \`${v.urn ?? "(stack)"}\` | ${escapeCell(v.detail || v.description)} |`,
                );
            }
        }
        for (const e of doc.policyResults.errors) {
            lines.push(`| \`${e.policyName}\` | error | | \`${e.urn ?? "(stack)"}\` | ${escapeCell(e.message)} |`);
        }
        lines.push("");
    } else {
        lines.push("No policy violations.", "");
    }
    return lines.join("\n");
}

/** A value as one short line for a report. */
export function showValue(value: unknown): string {
    if (value === undefined) return "(absent)";
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
