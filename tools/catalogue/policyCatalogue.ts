import { Policies, Policy } from "@pulumi/policy";
import { metadataOf, topics } from "../../policy/lib/metadata";

// The generated half of docs/policies.md: each policy's kind, level, severity, topics and config properties, read from
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
    // Long defaults would swamp the table: count them; the schema holds the list.
    if (json.length > 90 && Array.isArray(schema.default)) return `${schema.default.length} entries (listed in the policy's schema)`;
    return `\`${json}\``;
}

function kindOf(policy: Policy): string {
    return "validateStack" in policy ? "stack" : "resource";
}

const link = (policy: Policy) => `[\`${policy.name}\`](#${policy.name})`;

/**
 * The generated block: a summary table of every policy, an index by topic, then each configurable
 * policy's properties. Throws (naming the policy) when a policy carries no valid metadata.
 */
export function renderPolicyReference(policies: Policies): string {
    const lines = [
        BEGIN,
        "",
        "| Policy | Kind | Default level | Severity | Topics | Config properties |",
        "| --- | --- | --- | --- | --- | --- |",
    ];
    for (const policy of policies) {
        const props = Object.keys(policy.configSchema?.properties ?? {});
        const metadata = metadataOf(policy);
        lines.push(
            `| ${link(policy)} | ${kindOf(policy)} | ${policy.enforcementLevel} | ${metadata.severity} | ${metadata.topics.join(", ")} | ` +
                `${props.length ? props.map(p => `\`${p}\``).join(", ") : "none"} |`,
        );
    }
    // Topics in the closed list's order; a topic no policy carries yet is left out.
    lines.push("", "### Policies by topic", "", "| Topic | Policies |", "| --- | --- |");
    for (const topic of topics) {
        const carrying = policies.filter(p => metadataOf(p).topics.includes(topic));
        if (carrying.length > 0) lines.push(`| ${topic} | ${carrying.map(p => `${link(p)} (${metadataOf(p).severity})`).join(", ")} |`);
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
