import {
    specialArchiveSig,
    specialAssetSig,
    specialOutputValueSig,
    specialResourceSig,
    specialSecretSig,
    specialSigKey,
    unknownValue,
} from "@pulumi/pulumi/runtime/rpc";

/** The engine's marker for a value not known until the update runs; `@pulumi/policy` throws on reading it. */
export const UNKNOWN = unknownValue;
export const SECRET_PLACEHOLDER = "[secret]";
export const UNKNOWN_PLACEHOLDER = "[unknown]";

export interface DecodedProperties {
    /** Plain values as a policy sees them: secrets unwrapped, unknowns as the engine's sentinel. */
    values: Record<string, unknown>;
    /** Paths (`envs`, `spec.template`) whose values were secret. */
    secretPaths: string[];
    /** Paths whose values are unknown during preview. */
    unknownPaths: string[];
}

/**
 * Decodes properties as the SDK serialized them for the engine (a protobuf Struct turned into JS),
 * the way the engine hands them to an analyzer: secrets unwrapped (their paths recorded), unknowns kept
 * as the sentinel, resource references replaced by their URN.
 */
export function decodeProperties(raw: Record<string, unknown>): DecodedProperties {
    const secretPaths: string[] = [];
    const unknownPaths: string[] = [];
    const walk = (value: unknown, path: string): unknown => {
        if (value === unknownValue) {
            unknownPaths.push(path);
            return UNKNOWN;
        }
        if (Array.isArray(value)) {
            return value.map((item, i) => walk(item, `${path}[${i}]`));
        }
        if (value === null || typeof value !== "object") {
            return value;
        }
        const obj = value as Record<string, unknown>;
        switch (obj[specialSigKey]) {
            case specialSecretSig:
                secretPaths.push(path);
                return walk(obj.value, path);
            case specialOutputValueSig:
                if (obj.secret) secretPaths.push(path);
                if (!("value" in obj)) {
                    unknownPaths.push(path);
                    return UNKNOWN;
                }
                return walk(obj.value, path);
            case specialResourceSig:
                return obj.urn;
            case specialAssetSig:
            case specialArchiveSig:
                return { asset: obj.path ?? obj.uri ?? "(inline)" };
            default: {
                const out: Record<string, unknown> = {};
                for (const [k, v] of Object.entries(obj)) {
                    if (v !== undefined) out[k] = walk(v, path ? `${path}.${k}` : k);
                }
                return out;
            }
        }
    };
    const values = walk(raw, "") as Record<string, unknown>;
    return { values, secretPaths, unknownPaths };
}

/** Splits `spec.containers[0].env` into `["spec", "containers", 0, "env"]`; a key with dots is quoted: `data["app.key"]`. */
export function parsePath(path: string): (string | number)[] {
    const parts: (string | number)[] = [];
    for (const match of path.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g)) {
        if (match[1] !== undefined) parts.push(Number(match[1]));
        else if (match[2] !== undefined) parts.push(JSON.parse(match[2]) as string);
        else parts.push(match[3]);
    }
    return parts;
}

/**
 * A copy of `values` with the value at each path replaced. A `NAME=value` string (a Docker env entry,
 * a `--flag=value` word) keeps its name: what was set stays readable, the value does not.
 */
export function redactPaths(values: Record<string, unknown>, paths: readonly string[], placeholder: string): Record<string, unknown> {
    for (const path of paths) {
        const parts = parsePath(path);
        if (parts.length === 0) continue;
        let node: unknown = values;
        for (const part of parts.slice(0, -1)) {
            node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[part] : undefined;
        }
        if (node === null || typeof node !== "object") continue;
        const key = parts[parts.length - 1];
        const current = (node as Record<string | number, unknown>)[key];
        if (current === undefined) continue;
        const named = typeof current === "string" ? /^(-{0,2}[A-Za-z_][A-Za-z0-9_.-]*=)(?=.)/.exec(current) : null;
        (node as Record<string | number, unknown>)[key] = named ? `${named[1]}${placeholder}` : placeholder;
    }
    return values;
}

/**
 * A copy fit for a report: every secret path shows `[secret]`, every unknown `[unknown]`.
 * Secret values never leave this process in any other form.
 */
export function redactProperties(values: Record<string, unknown>, secretPaths: readonly string[]): Record<string, unknown> {
    const copy = replaceUnknowns(values) as Record<string, unknown>;
    for (const path of secretPaths) {
        const parts = parsePath(path);
        if (parts.length === 0) return { [SECRET_PLACEHOLDER]: true };
        let node: unknown = copy;
        for (const part of parts.slice(0, -1)) {
            node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[part] : undefined;
        }
        if (node !== null && typeof node === "object") {
            (node as Record<string | number, unknown>)[parts[parts.length - 1]] = SECRET_PLACEHOLDER;
        }
    }
    return copy;
}

function replaceUnknowns(value: unknown): unknown {
    if (value === UNKNOWN) return UNKNOWN_PLACEHOLDER;
    if (Array.isArray(value)) return value.map(replaceUnknowns);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceUnknowns(v)]));
    }
    return value;
}

/** Every string held at a secret path: what a report must never contain. */
export function secretStrings(values: Record<string, unknown>, secretPaths: readonly string[]): string[] {
    const found: string[] = [];
    const collect = (value: unknown) => {
        if (typeof value === "string") found.push(value);
        else if (Array.isArray(value)) value.forEach(collect);
        else if (value !== null && typeof value === "object") Object.values(value).forEach(collect);
    };
    for (const path of secretPaths) {
        let node: unknown = values;
        for (const part of parsePath(path)) {
            node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[part] : undefined;
        }
        collect(node);
    }
    return found;
}
