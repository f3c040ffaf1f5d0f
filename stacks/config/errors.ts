import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

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
    constructor(
        readonly stack: string,
        readonly problems: ConfigProblem[],
    ) {
        super(formatProblems(stack, problems));
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

/** Renders a value found in config for an error message, short enough to read on one line; a URL's password never shows. */
export function describeFound(value: unknown): string {
    if (value === undefined) {
        return "nothing (the key is not set)";
    }
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
 * channels alike) is a problem at its key. Plain config is committed and printed; credentials are
 * set with `pulumi config set --secret` or reach the process from its environment.
 */
export function plainCredentialProblems(key: string, value: unknown, path: PropertyKey[] = []): ConfigProblem[] {
    if (typeof value === "string") {
        if (!hasUrlPassword(value)) return [];
        return [
            {
                key: joinPath(key, path),
                expected:
                    "a URL without a password: credentials never sit in plain config (give the password to the tool as a secret, e.g. pulumi config set --secret, or its environment)",
                found: "a URL with a password in it (not shown)",
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
