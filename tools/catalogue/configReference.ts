import { z } from "zod";

// The generated half of docs/config.md: every key of every config section, its type, default and
// meaning, read from the section's zod schema (zod's JSON Schema export) so the reference cannot drift
// from what the program accepts. A schema says its meaning with `.describe()`, names its type with
// `.meta({ title })` where the structure alone would say only "string" (a DNS label, a duration), and
// words a default too long for the table with `.meta({ defaultText })`. `npm run docs` rewrites each
// section's block; a test fails when the committed file differs.

/** The first line of a section's generated block. */
export const sectionBegin = (section: string) =>
    `<!-- generated: npm run docs, from the schema of trading-platform:${section} (do not edit by hand) -->`;
/** The first line of the promotion's default checks' block. */
export const CHECKS_BEGIN =
    "<!-- generated: npm run docs, from promotionSettings' defaults in stacks/config/promotion.ts (do not edit by hand) -->";
/** The first line of the credentials' block. */
export const SECRETS_BEGIN = "<!-- generated: npm run docs, from secretKeys in stacks/config/index.ts (do not edit by hand) -->";
export const END = "<!-- end generated -->";

interface JsonSchema {
    type?: string;
    title?: string;
    description?: string;
    default?: unknown;
    defaultText?: string;
    enum?: unknown[];
    properties?: Record<string, JsonSchema>;
    required?: string[];
    additionalProperties?: JsonSchema | boolean;
    propertyNames?: JsonSchema;
    items?: JsonSchema;
    anyOf?: JsonSchema[];
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    exclusiveMaximum?: number;
    minItems?: number;
    maxItems?: number;
    format?: string;
    not?: object;
    $ref?: string;
}

interface Row {
    key: string;
    type: string;
    default: string;
    meaning: string;
}

/** A record's value with more keys than this gets a table of its own below the section's. */
const INLINE_RECORD_KEYS = 4;
/** A default longer than this (as JSON) must be worded with `.meta({ defaultText })`. */
const LONGEST_DEFAULT = 70;

const code = (value: unknown) => `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n+/g, " ");

/** Integer bounds zod gives `.int()` when none is set: no bound at all. */
const unbounded = (n: number | undefined) => n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER;

function range(s: JsonSchema): string {
    const low = !unbounded(s.minimum) ? `${s.minimum}` : undefined;
    const high = !unbounded(s.maximum) ? `${s.maximum}` : undefined;
    if (low !== undefined && high !== undefined) return ` ${low}–${high}`;
    const parts = [
        low !== undefined ? `≥ ${low}` : undefined,
        s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : undefined,
        high !== undefined ? `≤ ${high}` : undefined,
        s.exclusiveMaximum !== undefined ? `< ${s.exclusiveMaximum}` : undefined,
    ].filter(Boolean);
    return parts.length ? ` ${parts.join(", ")}` : "";
}

function count(s: JsonSchema): string {
    if (s.minItems !== undefined && s.maxItems !== undefined) return ` (${s.minItems}–${s.maxItems})`;
    if (s.minItems !== undefined && s.minItems > 0) return ` (at least ${s.minItems})`;
    if (s.maxItems !== undefined) return ` (at most ${s.maxItems})`;
    return "";
}

const isObject = (s: JsonSchema) => s.type === "object" && s.properties !== undefined;
const recordValue = (s: JsonSchema) =>
    s.type === "object" && typeof s.additionalProperties === "object" && !s.properties ? s.additionalProperties : undefined;
/** The schema a nullable one allows besides null; the schema itself otherwise. */
const nonNull = (s: JsonSchema) =>
    s.anyOf && s.anyOf.length === 2 && s.anyOf.some(a => a.type === "null") ? s.anyOf.find(a => a.type !== "null")! : s;

/** The key's type in words: its schema's title, else what its structure says. */
function typeOf(s: JsonSchema): string {
    if (s.title) return s.title;
    if (s.anyOf) {
        const others = s.anyOf.filter(a => a.type !== "null");
        return others.map(typeOf).join(" or ") + (others.length < s.anyOf.length ? " or `null`" : "");
    }
    if (s.enum) return s.enum.map(code).join(" | ");
    switch (s.type) {
        case "boolean":
            return "boolean";
        case "integer":
        case "number":
            return `${s.type}${range(s)}`;
        case "string":
            return s.format === "uri" ? "URL" : s.format === "ipv4" ? "IPv4 address" : "string";
        case "array": {
            const items = s.items ?? {};
            const alternatives = !items.title && ((items.enum?.length ?? 0) > 1 || items.anyOf);
            return `list of ${alternatives ? `(${typeOf(items)})` : typeOf(items)}${count(s)}`;
        }
        case "object": {
            const value = recordValue(s);
            if (value) return `map of ${typeOf(s.propertyNames ?? { type: "string" })} to ${typeOf(value)}`;
            return "object";
        }
    }
    // A key the schema refuses (`z.undefined()`, `not: {}` below): renamed or split; its meaning says into what.
    if (s.not) return "—";
    throw new Error(`no type in words for ${JSON.stringify(s).slice(0, 200)}: give the schema a title with .meta({ title })`);
}

function defaultOf(s: JsonSchema, required: boolean, where: string): string {
    if (s.defaultText) return s.defaultText;
    if (s.default === undefined) return required ? "required" : "unset";
    // An object's default is its keys' defaults, listed on their own rows.
    if (isObject(nonNull(s)) && typeof s.default === "object" && !Array.isArray(s.default)) return "its keys' defaults";
    const json = JSON.stringify(s.default);
    if (json.length > LONGEST_DEFAULT) {
        throw new Error(`${where}: the default ${json.slice(0, 60)}… is too long for the table: word it with .meta({ defaultText })`);
    }
    return code(s.default);
}

/** Rows for every key under `s` (an object schema), depth first in the schema's order; records of large objects go to `tables`. */
function walk(s: JsonSchema, prefix: string, rows: Row[], tables: { key: string; rows: Row[] }[], where: string): void {
    for (const [name, raw] of Object.entries(s.properties ?? {})) {
        const key = prefix + name;
        const at = `${where}.${name}`;
        if (raw.$ref) throw new Error(`${at}: a $ref in the JSON schema; declare the schema once per key`);
        const inner = nonNull(raw);
        const required = s.required?.includes(name) ?? false;
        const value = recordValue(inner);
        const container =
            isObject(inner) ||
            (value !== undefined && isObject(nonNull(value))) ||
            (inner.type === "array" && isObject(nonNull(inner.items ?? {})));
        // An object's own row is there when it says something of its own (what it is for, or that it is optional).
        if (!container || raw.description || !required || raw.default !== undefined) {
            if (!raw.description) throw new Error(`${at} has no meaning in its schema: add .describe("...") to it`);
            const type = typeOf(raw);
            // A refused key (renamed or split) has neither a type nor a default.
            rows.push({ key: `\`${key}\``, type, default: type === "—" ? "—" : defaultOf(raw, required, at), meaning: raw.description });
        }
        if (isObject(inner)) {
            walk(inner, `${key}.`, rows, tables, at);
        } else if (value && isObject(nonNull(value))) {
            const entry = nonNull(value);
            if (Object.keys(entry.properties ?? {}).length > INLINE_RECORD_KEYS) {
                const own: Row[] = [];
                walk(entry, "", own, tables, `${at}.<name>`);
                tables.push({ key: `${key}.<name>`, rows: own });
            } else {
                walk(entry, `${key}.<name>.`, rows, tables, `${at}.<name>`);
            }
        } else if (inner.type === "array" && inner.items && isObject(nonNull(inner.items))) {
            walk(nonNull(inner.items), `${key}[].`, rows, tables, `${at}[]`);
        }
    }
}

const table = (rows: Row[]) => [
    "| Key | Type | Default | Meaning |",
    "| --- | --- | --- | --- |",
    ...rows.map(r => `| ${r.key} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.meaning)} |`),
];

/** A config schema as JSON Schema, what a stack file may say: the input side, a refused key (`z.undefined()`) as `not: {}`. */
export function configJsonSchema(schema: z.ZodType): Record<string, unknown> {
    return z.toJSONSchema(schema, {
        io: "input",
        unrepresentable: "any",
        // A key that must be absent: JSON Schema's "nothing is valid".
        override: ctx => {
            if (ctx.zodSchema._zod.def.type === "undefined") Object.assign(ctx.jsonSchema, { not: {} });
        },
    });
}

/** The generated block of one section: its keys' table, then one table per record of large objects. */
export function renderSection(section: string, schema: z.ZodType): string {
    const json = configJsonSchema(schema) as JsonSchema;
    const rows: Row[] = [];
    const tables: { key: string; rows: Row[] }[] = [];
    walk(nonNull(json), "", rows, tables, section);
    const lines = [sectionBegin(section), ""];
    if (json.description) lines.push(`\`trading-platform:${section}\`: ${json.description}`, "");
    lines.push(...table(rows));
    for (const t of tables) lines.push("", `Each \`${t.key}\`:`, "", ...table(t.rows));
    lines.push("", END);
    return lines.join("\n");
}

/** The credentials' block: each secret key, when it is required, and what it holds. */
export function renderSecrets(secrets: Record<string, { purpose: string; required: string }>): string {
    return [
        SECRETS_BEGIN,
        "",
        "| Key | Required | Meaning |",
        "| --- | --- | --- |",
        ...Object.entries(secrets).map(([key, s]) => `| \`${key}\` | ${cell(s.required)} | ${cell(s.purpose)} |`),
        "",
        END,
    ].join("\n");
}

interface Check {
    query: string;
    limit: number;
    protocols: string[];
}

/** The promotion's default checks (what an empty `promotion` section runs): each one's limit, the protocols it judges and its query. */
export function renderChecks(defaults: {
    triggers: Record<string, Check>;
    gates: Record<string, Check>;
    comparisons: Record<string, Check>;
    traffic: { query: string; tolerance: number };
}): string {
    const rows = [
        ...Object.entries(defaults.triggers).map(
            ([name, c]) => [`trigger \`${name}\``, `above \`${c.limit}\``, c.protocols, c.query] as const,
        ),
        ...Object.entries(defaults.gates).map(([name, c]) => [`gate \`${name}\``, `below \`${c.limit}\``, c.protocols, c.query] as const),
        ...Object.entries(defaults.comparisons).map(
            ([name, c]) => [`comparison \`${name}\``, `margin \`${c.limit}\``, c.protocols, c.query] as const,
        ),
        // The traffic check reads HTTP requests: the promotion runs it for `http` services only (tools/promote/machine.ts).
        ["`traffic.query`", `within \`${defaults.traffic.tolerance}\` points of the weight`, ["http"], defaults.traffic.query] as const,
    ];
    return [
        CHECKS_BEGIN,
        "",
        "| Check | Limit | Judges | Query |",
        "| --- | --- | --- | --- |",
        ...rows.map(
            ([name, limit, protocols, query]) => `| ${name} | ${limit} | ${protocols.map(code).join(", ")} | ${cell(code(query))} |`,
        ),
        "",
        END,
    ].join("\n");
}

function replaceBlock(document: string, begin: string, block: string): string {
    const start = document.indexOf(begin);
    const end = document.indexOf(END, start);
    if (start < 0 || end < 0) throw new Error(`docs/config.md has no block "${begin}": add it, and the line "${END}" after it`);
    return document.slice(0, start) + block + document.slice(end + END.length);
}

/** `document` with every generated block regenerated; throws when a block is missing. */
export function withConfigReference(
    document: string,
    sources: {
        sections: Record<string, z.ZodType>;
        secrets: Record<string, { purpose: string; required: string }>;
        checks: Parameters<typeof renderChecks>[0];
    },
): string {
    const { sections, secrets, checks } = sources;
    let out = replaceBlock(document, SECRETS_BEGIN, renderSecrets(secrets));
    out = replaceBlock(out, CHECKS_BEGIN, renderChecks(checks));
    for (const [section, schema] of Object.entries(sections)) {
        out = replaceBlock(out, sectionBegin(section), renderSection(section, schema));
    }
    return out;
}
