import { EnforcementLevel } from "@pulumi/policy";
import { PlannedResource } from "./mockProgram";
import { EvaluationResult, PolicyError, PolicyPackDefinition, PolicyRemediation, PolicyViolation } from "./policyEngine";
import { PlanDiff } from "./planDiff";
import { REDACTED_CREDENTIAL } from "../../policy/lib/credentials";
import { redactPaths, redactProperties, SECRET_PLACEHOLDER } from "./propertyValues";

/** Bumped on any change a reader of the JSON could notice; docs/plan-format.md describes each version. */
export const PLAN_SCHEMA_VERSION = 2;

export interface PlanResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    provider?: string;
    /**
     * Inputs with every secret path shown as "[secret]", every unknown as "[unknown]" and every value a
     * credential policy flagged as "[redacted credential]".
     */
    inputs: Record<string, unknown>;
    secretPaths: string[];
    /** Values a credential policy flagged as plaintext credentials, redacted like secrets. */
    redactedPaths: string[];
    /** For a component and the root stack: which of its registered outputs are secrets (the values are not in the plan). */
    outputSecretPaths?: string[];
    unknownPaths: string[];
    dependencies: string[];
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
            inputs: redactPaths(redactProperties(r.inputs, r.secretPaths), input.evaluation.flaggedPaths[r.urn] ?? [], REDACTED_CREDENTIAL),
            secretPaths: r.secretPaths,
            redactedPaths: input.evaluation.flaggedPaths[r.urn] ?? [],
            ...(r.custom ? {} : { outputSecretPaths: r.outputSecretPaths ?? [] }),
            unknownPaths: r.unknownPaths,
            dependencies: r.dependencies,
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
