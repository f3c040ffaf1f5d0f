import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { credentialShapeOf } from "../../policy/lib/credentials";

/** One problem in a stack's configuration, phrased for the person who edits `Pulumi.<stack>.yaml`. */
export interface ConfigProblem {
    /** Full config key with the path inside it, e.g. `trading-platform:dockerHost.services.api.memory`. */
    key: string;
    expected: string;
    found: string;
}

/**
 * Raised before any resource is registered when a stack's configuration is invalid. It extends
 * `pulumi.RunError` so the CLI prints the message without a stack trace.
 */
export class StackConfigError extends pulumi.RunError {
    readonly problems: ConfigProblem[];

    constructor(
        readonly stack: string,
        problems: ConfigProblem[],
    ) {
        // Whatever a rule quoted, a credential's shape never reaches the message (a rule that echoes a value
        // it judged, a schema's "found"): the whole finding is replaced.
        const shown = problems.map(p => ({
            ...p,
            found: credentialInText(p.found) ? `a value shaped like ${credentialInText(p.found)} (not shown)` : p.found,
        }));
        super(formatProblems(stack, shown));
        this.problems = shown;
        this.name = "StackConfigError";
    }

    static isInstance(obj: unknown): obj is StackConfigError {
        return obj instanceof Error && obj.name === "StackConfigError";
    }
}

export function formatProblems(stack: string, problems: ConfigProblem[]): string {
    const header =
        `Invalid configuration for stack "${stack}" (${problems.length} ` +
        `problem${problems.length === 1 ? "" : "s"}); no resource was registered:`;
    const lines = problems.map(p => `  - ${stack}: ${p.key}: expected ${p.expected}; found ${p.found}`);
    return [header, ...lines].join("\n");
}

/** `scheme://user:password@`: the password part of a URL's userinfo. */
const urlPassword = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@"]*:)[^\s/@"]+@/gi;

/** Whether `text` holds a URL with a password in it. */
export function hasUrlPassword(text: string): boolean {
    urlPassword.lastIndex = 0;
    return urlPassword.test(text);
}

/** `text` with every URL password replaced: what an error may quote of a value. */
export function withoutUrlPasswords(text: string): string {
    return text.replace(urlPassword, "$1[redacted]@");
}

/** The label of a credential's shape anywhere in `text` (the pack's families: policy/lib/credentialFamilies.ts), or undefined. */
function credentialInText(text: string): string | undefined {
    return credentialShapeOf(text);
}

/** A URL: with a scheme, or a host name followed by a path (`hooks.slack.com/services/...`). */
const urlLike = /[a-z][a-z0-9+.-]*:\/\/|(?:^|[^A-Za-z0-9@.-])[a-z0-9-]+(?:\.[a-z0-9-]+)+\//i;

/**
 * Why `text` is a URL that carries a credential, or undefined: a password in its userinfo, or a
 * credential of a known shape anywhere in it (a Slack or Discord webhook, whose path is the
 * credential; a token in its query string).
 */
export function credentialUrlShape(text: string): string | undefined {
    if (hasUrlPassword(text)) return "a URL with a password in it";
    return urlLike.test(text) ? credentialShapeOf(text) : undefined;
}

/** Renders a value found in config for an error message, short enough to read on one line; a URL's password or a credential never shows. */
export function describeFound(value: unknown): string {
    if (value === undefined) {
        return "nothing (the key is not set)";
    }
    const shape = credentialInText(typeof value === "string" ? value : (JSON.stringify(value) ?? ""));
    if (shape) return `a value shaped like ${shape} (not shown)`;
    if (typeof value === "string") {
        const text = withoutUrlPasswords(value);
        return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
    }
    const text = withoutUrlPasswords(JSON.stringify(value));
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * A credential in plain config: every string of a section holding a URL with a password (the Loki
 * URL, the Vault address, the Docker host and its ssh options, Prometheus and the notification
 * channels alike), or a URL that is itself a credential (a Slack incoming webhook: whoever reads it
 * may post to the channel), is a problem at its key. Plain config is committed and printed;
 * credentials are set with `pulumi config set --secret` or reach the process from its environment.
 */
export function plainCredentialProblems(key: string, value: unknown, path: PropertyKey[] = []): ConfigProblem[] {
    if (typeof value === "string") {
        const shape = credentialUrlShape(value);
        if (!shape) return [];
        if (hasUrlPassword(value)) {
            return [
                {
                    key: joinPath(key, path),
                    expected:
                        "a URL without a password: credentials never sit in plain config (give the password to the tool as a secret, e.g. pulumi config set --secret, or its environment)",
                    found: "a URL with a password in it (not shown)",
                },
            ];
        }
        return [
            {
                key: joinPath(key, path),
                expected:
                    "no credential in plain config: a URL that is a credential stays out of the stack file (a Slack webhook reaches npm run promote and the workflows as SLACK_WEBHOOK_URL from the GitHub environment's secrets; anything else: pulumi config set --secret)",
                found: `a value shaped like ${shape} (not shown)`,
            },
        ];
    }
    if (Array.isArray(value)) return value.flatMap((item, i) => plainCredentialProblems(key, item, [...path, i]));
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([k, v]) => plainCredentialProblems(key, v, [...path, k]));
    }
    return [];
}

export function joinPath(key: string, path: PropertyKey[]): string {
    return path.reduce<string>((acc, part) => `${acc}.${String(part)}`, key);
}

/**
 * Turns zod issues into problems. Schemas in this folder phrase their own messages as the
 * expectation ("an SSH URL like ssh://user@host"); zod's built-in codes are phrased here.
 */
export function problemsFromZod(key: string, schema: z.ZodType, error: z.ZodError): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const issue of error.issues) {
        const input = (issue as { input?: unknown }).input;
        if (issue.code === "unrecognized_keys") {
            const known = knownKeysAt(schema, issue.path);
            for (const unknownKey of issue.keys) {
                problems.push({
                    key: joinPath(key, [...issue.path, unknownKey]),
                    expected: known.length > 0 ? `one of the known keys (${known.join(", ")})` : "no such key",
                    found: `the unknown key ${JSON.stringify(unknownKey)}`,
                });
            }
            continue;
        }
        problems.push({ key: joinPath(key, issue.path), expected: expectation(issue), found: describeFound(input) });
    }
    return problems;
}

function expectation(issue: z.core.$ZodIssue): string {
    // A schema's own message states the expectation; zod's defaults start with "Invalid".
    const custom = !/^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message);
    if (custom) return issue.message;
    switch (issue.code) {
        case "invalid_type":
            return `a value of type ${issue.expected}`;
        case "invalid_value":
            return `one of ${issue.values.map(v => JSON.stringify(v)).join(", ")}`;
        case "too_small":
            return issue.origin === "array"
                ? `at least ${String(issue.minimum)} item(s)`
                : issue.origin === "string"
                  ? `at least ${String(issue.minimum)} character(s)`
                  : `a value ${issue.inclusive ? ">=" : ">"} ${String(issue.minimum)}`;
        case "too_big":
            return issue.origin === "array"
                ? `at most ${String(issue.maximum)} item(s)`
                : issue.origin === "string"
                  ? `at most ${String(issue.maximum)} character(s)`
                  : `a value ${issue.inclusive ? "<=" : "<"} ${String(issue.maximum)}`;
        case "invalid_format":
            return `a valid ${issue.format}`;
        default:
            return issue.message;
    }
}

/** The keys a strict object (or an enum-keyed record) accepts at `path`, to list them in errors. */
export function knownKeysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
    let node: z.core.$ZodType | undefined = schema;
    const unwrap = (n: z.core.$ZodType): z.core.$ZodType => {
        const def = n._zod.def as unknown as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType; out?: z.core.$ZodType };
        if (def.innerType) return unwrap(def.innerType);
        // A transform's input is the object; a preprocess's is its function, and the object comes out.
        if (def.type === "pipe" && def.in) return unwrap(def.in._zod.def.type === "transform" && def.out ? def.out : def.in);
        return n;
    };
    for (const part of [...path, undefined]) {
        if (!node) return [];
        node = unwrap(node);
        const def = node._zod.def as unknown as {
            type: string;
            shape?: Record<string, z.core.$ZodType>;
            element?: z.core.$ZodType;
            keyType?: z.core.$ZodType;
            valueType?: z.core.$ZodType;
        };
        if (part === undefined) {
            if (def.type === "object" && def.shape) return Object.keys(def.shape);
            if (def.type === "record" && def.keyType) {
                const keyDef = def.keyType._zod.def as unknown as { type: string; entries?: Record<string, string> };
                return keyDef.type === "enum" && keyDef.entries ? Object.values(keyDef.entries) : [];
            }
            return [];
        }
        if (def.type === "object" && def.shape) node = def.shape[String(part)];
        else if (def.type === "array") node = def.element;
        else if (def.type === "record") node = def.valueType;
        else return [];
    }
    return [];
}
