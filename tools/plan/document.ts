import { EnforcementLevel } from "@pulumi/policy";
import { UsageError } from "../cli/errors";
import { readJsonInput } from "../cli/inputFiles";
import { EvaluationResult, PolicyError, PolicyPackDefinition, PolicyRemediation, PolicyViolation } from "../engine/policyEngine";
import { PlannedResource } from "../engine/resource";
import { REDACTED_CREDENTIAL } from "../../policy/lib/credentials";
import { redactPaths, redactProperties, SECRET_PLACEHOLDER } from "../runtime/propertyValues";

/** Bumped on any change a reader of the JSON could notice; docs/plan-format.md describes each version. */
export const PLAN_SCHEMA_VERSION = 2;

/** A PlannedResource as the plan JSON writes it: its `inputs` show every secret path as "[secret]" and every unknown as "[unknown]". */
export type PlanResource = Pick<
    PlannedResource,
    | "urn"
    | "type"
    | "name"
    | "custom"
    | "parent"
    | "provider"
    | "inputs"
    | "secretPaths"
    | "outputSecretPaths"
    | "unknownPaths"
    | "dependencies"
    | "origin"
> & {
    /** Values a credential policy flagged as plaintext credentials, shown as "[redacted credential]" like secrets. */
    redactedPaths: string[];
};

export interface PropertyChange {
    /** e.g. `spec.replicas`, `metadata.annotations["trading-platform/traffic-weight"]`. */
    path: string;
    /** As the plans show them: secrets stay "[secret]", absent values are undefined. */
    before?: unknown;
    after?: unknown;
}

export interface PlanDiff {
    /** The earlier plan this one is compared with. */
    base: { stack: string; resources: number };
    added: { urn: string; type: string }[];
    removed: { urn: string; type: string }[];
    changed: { urn: string; type: string; properties: PropertyChange[] }[];
    unchanged: number;
}

export interface PlanDocument {
    schemaVersion: typeof PLAN_SCHEMA_VERSION;
    kind: "trading-platform/plan";
    project: string;
    stack: string;
    /** What was evaluated: the program under the mock runtime, Kubernetes manifests, or an earlier plan. */
    source: "program" | "manifests" | "plan";
    policyPack: { name: string; version: string; enforcementLevel: EnforcementLevel; levels: Record<string, EnforcementLevel> };
    summary: {
        resources: number;
        resourcesByType: Record<string, number>;
        mandatoryViolations: number;
        advisoryViolations: number;
        policyErrors: number;
        /** True when nothing would stop `pulumi up`: no mandatory violation and no policy error. */
        passed: boolean;
    };
    resources: PlanResource[];
    /** Stack outputs; a secret output shows "[secret]". */
    outputs: Record<string, unknown>;
    policyResults: {
        violations: PolicyViolation[];
        errors: PolicyError[];
        remediations: PolicyRemediation[];
        warnings: string[];
    };
    /** With `--diff BASE.json`: what this plan changes against the base plan. */
    diff?: PlanDiff;
}

export interface PlanInputs {
    project: string;
    stack: string;
    source: PlanDocument["source"];
    pack: PolicyPackDefinition;
    resources: PlannedResource[];
    outputs: Record<string, { value: unknown; secret: boolean; known: boolean }>;
    evaluation: EvaluationResult;
    /** Secret strings known to this run, scrubbed from every message as a last line of defence. */
    secretValues: string[];
}

/** A plan written by `plan --json`, as it was written; a usage error for anything else. */
export function readPlanDocument(file: string): PlanDocument {
    const document = readJsonInput(file, "Plan file", "a plan JSON file") as PlanDocument;
    if (document?.kind !== "trading-platform/plan" || document.schemaVersion !== PLAN_SCHEMA_VERSION) {
        throw new UsageError(
            `${file} is not a plan of schemaVersion ${PLAN_SCHEMA_VERSION} (found kind ${String(document?.kind)}, schemaVersion ${String(document?.schemaVersion)})`,
        );
    }
    if (typeof document.stack !== "string" || document.stack === "") {
        throw new UsageError(`${file} is not a valid plan: "stack" must be a non-empty string`);
    }
    if (!Array.isArray(document.resources)) {
        throw new UsageError(`${file} is not a valid plan: "resources" must be an array (found ${describeJson(document.resources)})`);
    }
    document.resources.forEach((r, i) => {
        const problem =
            r === null || typeof r !== "object"
                ? "is not an object"
                : typeof r.urn !== "string" || typeof r.type !== "string" || typeof r.name !== "string"
                  ? "lacks urn, type or name"
                  : r.inputs === null || typeof r.inputs !== "object" || Array.isArray(r.inputs)
                    ? "has no inputs object"
                    : !isStringArray(r.secretPaths)
                      ? "has no secretPaths array (a plan must say what it redacted)"
                      : !isStringArray(r.unknownPaths)
                        ? "has no unknownPaths array"
                        : !isStringArray(r.redactedPaths)
                          ? "has no redactedPaths array (a plan must say what it redacted)"
                          : r.dependencies !== undefined && !isStringArray(r.dependencies)
                            ? "has dependencies that are not a list of URNs"
                            : r.origin !== undefined && !isOrigin(r.origin)
                              ? "has an origin that is not {file, line[, configKey]}"
                              : undefined;
        if (problem) throw new UsageError(`${file} is not a valid plan: resources[${i}] ${problem}`);
    });
    return document;
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(v => typeof v === "string");
const isOrigin = (value: unknown): boolean => {
    const o = value as { file?: unknown; line?: unknown; configKey?: unknown } | null;
    return (
        o !== null &&
        typeof o === "object" &&
        typeof o.file === "string" &&
        o.file !== "" &&
        Number.isInteger(o.line) &&
        (o.line as number) >= 1 &&
        (o.configKey === undefined || typeof o.configKey === "string")
    );
};
const describeJson = (value: unknown) =>
    value === undefined ? "nothing" : value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;

export function buildPlanDocument(input: PlanInputs): PlanDocument {
    const scrub = scrubber(input.secretValues);
    const byType: Record<string, number> = {};
    for (const r of input.resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
    const violations = input.evaluation.violations.map(v => ({ ...v, message: scrub(v.message), detail: scrub(v.detail) }));
    const mandatory = violations.filter(v => v.enforcementLevel === "mandatory").length;
    return {
        schemaVersion: PLAN_SCHEMA_VERSION,
        kind: "trading-platform/plan",
        project: input.project,
        stack: input.stack,
        source: input.source,
        policyPack: {
            name: input.pack.name,
            version: input.pack.version,
            enforcementLevel: input.pack.enforcementLevel,
            levels: input.evaluation.levels,
        },
        summary: {
            resources: input.resources.length,
            resourcesByType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b))),
            mandatoryViolations: mandatory,
            advisoryViolations: violations.length - mandatory,
            policyErrors: input.evaluation.errors.length,
            passed: mandatory === 0 && input.evaluation.errors.length === 0,
        },
        resources: input.resources.map(r => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            custom: r.custom,
            ...(r.parent ? { parent: r.parent } : {}),
            ...(r.provider ? { provider: r.provider } : {}),
            inputs: reportedInputs(r, input.evaluation.flaggedPaths[r.urn] ?? []),
            secretPaths: r.secretPaths,
            redactedPaths: input.evaluation.flaggedPaths[r.urn] ?? [],
            ...(r.custom ? {} : { outputSecretPaths: r.outputSecretPaths ?? [] }),
            unknownPaths: r.unknownPaths,
            dependencies: r.dependencies,
            ...(r.origin ? { origin: r.origin } : {}),
        })),
        outputs: Object.fromEntries(
            Object.entries(input.outputs).map(([k, o]) => [k, o.secret ? SECRET_PLACEHOLDER : o.known ? o.value : "[unknown]"]),
        ),
        policyResults: {
            violations,
            errors: input.evaluation.errors.map(e => ({ ...e, message: scrub(e.message) })),
            remediations: input.evaluation.remediations,
            warnings: input.evaluation.warnings,
        },
    };
}

/**
 * A resource's inputs as the plan shows them: every secret path "[secret]", every unknown "[unknown]",
 * every flagged credential "[redacted credential]". Inputs with none of them are shown as they are
 * (the evaluation froze them, so nothing changes them afterwards): a copy per resource was most of a
 * large check's report time.
 */
function reportedInputs(r: PlannedResource, flagged: string[]): Record<string, unknown> {
    if (r.secretPaths.length === 0 && r.unknownPaths.length === 0 && flagged.length === 0 && Object.isFrozen(r.inputs)) return r.inputs;
    return redactPaths(redactProperties(r.inputs, r.secretPaths), flagged, REDACTED_CREDENTIAL);
}

/**
 * Replaces any known secret string in free text with "[secret]". Policies are written never to quote a
 * value, but a message is free text: this makes a leak impossible rather than unlikely.
 */
export function scrubber(secretValues: readonly string[]): (text: string) => string {
    const needles = new Set<string>();
    for (const value of secretValues) {
        // Docker env entries are NAME=value: the value alone is the secret.
        for (const candidate of [value, value.includes("=") ? value.slice(value.indexOf("=") + 1) : ""]) {
            if (candidate.length >= 6) needles.add(candidate);
        }
    }
    const sorted = [...needles].sort((a, b) => b.length - a.length);
    return text => sorted.reduce((acc, needle) => acc.split(needle).join(SECRET_PLACEHOLDER), text);
}
