import { PlanDocument } from "./planDocument";
import { PolicyViolation } from "./policyEngine";

function groupByPolicy(violations: PolicyViolation[]): [string, PolicyViolation[]][] {
    const groups = new Map<string, PolicyViolation[]>();
    for (const v of violations) groups.set(v.policyName, [...(groups.get(v.policyName) ?? []), v]);
    // Mandatory groups first, then by name, so the blocking problems lead.
    return [...groups.entries()].sort(([a, va], [b, vb]) => {
        const rank = (vs: PolicyViolation[]) => (vs.some(v => v.enforcementLevel === "mandatory") ? 0 : 1);
        return rank(va) - rank(vb) || a.localeCompare(b);
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
    doc.source === "program" ? `Offline plan of stack "${doc.stack}"` : doc.source === "manifests" ? `Policy check of manifests (stack "${doc.stack}")` : `Policy check of a plan of stack "${doc.stack}"`;

/** The summary printed on the terminal: resources by type, then violations grouped by policy. */
export function renderText(doc: PlanDocument): string {
    const lines: string[] = [];
    lines.push(`${what(doc)} (project ${doc.project})`, "");
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
        lines.push("", `  ${policy} [${violations[0].enforcementLevel}] — ${violations.length} violation(s)`);
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

/** A report for a pull-request comment. The first line is a marker the workflow finds to edit in place. */
export function renderMarkdown(doc: PlanDocument, extra: string[] = []): string {
    const icon = doc.summary.passed ? "✅" : "❌";
    const lines: string[] = [];
    lines.push(`<!-- trading-platform-plan:${doc.stack} -->`);
    lines.push(`### ${icon} ${what(doc)}`, "");
    lines.push(`**${verdict(doc)}** — ${doc.summary.resources} resources, policy pack \`${doc.policyPack.name}@${doc.policyPack.version}\`.`, "");
    lines.push(...extra);
    lines.push("<details><summary>Resources by type</summary>", "", "| Type | Count |", "| --- | ---: |");
    for (const [type, count] of Object.entries(doc.summary.resourcesByType)) lines.push(`| \`${type}\` | ${count} |`);
    lines.push("", "</details>", "");
    const groups = groupByPolicy(doc.policyResults.violations);
    if (groups.length > 0 || doc.policyResults.errors.length > 0) {
        lines.push("#### Policy violations", "", "| Policy | Level | Resource | Message |", "| --- | --- | --- | --- |");
        for (const [, violations] of groups) {
            for (const v of violations) {
                lines.push(`| \`${v.policyName}\` | ${v.enforcementLevel} | \`${v.urn ?? "(stack)"}\` | ${escapeCell(v.detail || v.description)} |`);
            }
        }
        for (const e of doc.policyResults.errors) {
            lines.push(`| \`${e.policyName}\` | error | \`${e.urn ?? "(stack)"}\` | ${escapeCell(e.message)} |`);
        }
        lines.push("");
    } else {
        lines.push("No policy violations.", "");
    }
    return lines.join("\n");
}
