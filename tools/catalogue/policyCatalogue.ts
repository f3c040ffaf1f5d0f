import { Policies, Policy } from "@pulumi/policy";

// The generated half of docs/policies.md: each policy's kind, level and config properties, read from
// the pack itself so the catalogue cannot drift from the code. `npm run docs` rewrites it; a test
// fails when the committed file differs.

export const BEGIN = "<!-- generated: npm run docs (do not edit by hand) -->";
export const END = "<!-- end generated -->";

type Schema = { type?: string; items?: Schema & { enum?: unknown[] }; default?: unknown; description?: string; enum?: unknown[] };

function typeOf(schema: Schema): string {
    if (schema.type === "array") {
        const items = schema.items ?? {};
        return items.enum ? `(${items.enum.map(v => JSON.stringify(v)).join(" \\| ")})[]` : `${items.type ?? "any"}[]`;
    }
    return schema.type ?? "any";
}

function defaultOf(schema: Schema): string {
    if (schema.default === undefined) return "unset";
    const json = JSON.stringify(schema.default);
    // Long defaults (holiday calendars) would swamp the table: count them; the schema holds the list.
    if (json.length > 90 && Array.isArray(schema.default)) return `${schema.default.length} entries (listed in the policy's schema)`;
    return `\`${json}\``;
}

function kindOf(policy: Policy): string {
    return "validateStack" in policy ? "stack" : "resource";
}

/** The generated block: a summary table of every policy, then each configurable policy's properties. */
export function renderPolicyReference(policies: Policies): string {
    const lines = [BEGIN, "", "| Policy | Kind | Default level | Config properties |", "| --- | --- | --- | --- |"];
    for (const policy of policies) {
        const props = Object.keys(policy.configSchema?.properties ?? {});
        lines.push(`| [\`${policy.name}\`](#${policy.name}) | ${kindOf(policy)} | ${policy.enforcementLevel} | ${props.length ? props.map(p => `\`${p}\``).join(", ") : "none"} |`);
    }
    for (const policy of policies) {
        const properties = Object.entries((policy.configSchema?.properties ?? {}) as Record<string, Schema>);
        if (properties.length === 0) continue;
        lines.push("", `### Config of \`${policy.name}\``, "", "| Property | Type | Default | Meaning |", "| --- | --- | --- | --- |");
        for (const [name, schema] of properties) {
            lines.push(`| \`${name}\` | ${typeOf(schema)} | ${defaultOf(schema)} | ${(schema.description ?? "").replace(/\|/g, "\\|")} |`);
        }
    }
    lines.push("", END);
    return lines.join("\n");
}

/** `document` with its generated block replaced by a fresh one; throws when the markers are missing. */
export function withPolicyReference(document: string, policies: Policies): string {
    const start = document.indexOf(BEGIN);
    const end = document.indexOf(END);
    if (start < 0 || end < start) throw new Error(`docs/policies.md has no generated block: add the lines "${BEGIN}" and "${END}"`);
    return document.slice(0, start) + renderPolicyReference(policies) + document.slice(end + END.length);
}
