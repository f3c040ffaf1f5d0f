// The one record of a planned resource. The offline runtime produces it (tools/runtime/program.ts), manifests
// and plan files are read into it (tools/plan/manifests.ts), the engine evaluates it, and the plan document
// writes a redacted Pick of it (PlanResource in tools/plan/document.ts).

/**
 * Where a resource was declared, for reports that point at a line: a manifest's document, or the line
 * of the stack file's config key the resource was declared from (stacks/configSource.ts).
 */
export interface ResourceOrigin {
    /** Relative to the repository when inside it (posix separators), else absolute. */
    file: string;
    /** 1-based. */
    line: number;
    /** The full config key, e.g. `trading-platform:deployments.services.api`; absent for a manifest. */
    configKey?: string;
}

/** A resource as the engine would see it registered: parent, provider, dependencies, options and its properties. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    /** URN of the explicit provider, if any. */
    provider?: string;
    /** Inputs as a resource policy sees them (secrets unwrapped). Held in memory only. */
    inputs: Record<string, unknown>;
    /** Outputs as a stack policy sees them; for a component, what it registered with `registerOutputs`. */
    outputs: Record<string, unknown>;
    secretPaths: string[];
    /** Paths of secret outputs: for a component, which values it registered as secrets; for the stack, its secret exports. */
    outputSecretPaths?: string[];
    unknownPaths: string[];
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    options: { protect: boolean; ignoreChanges: string[]; deleteBeforeReplace?: boolean; additionalSecretOutputs: string[] };
    /** Where it was declared, when known (never seen by a policy). */
    origin?: ResourceOrigin;
}

/**
 * What the evaluator needs of a PlannedResource: what an analyzer is told. Fixtures may leave out what the
 * engine would default (no parent, no dependencies, default options).
 */
export type EvaluatedResource = Pick<PlannedResource, "urn" | "type" | "name" | "inputs" | "outputs"> &
    Partial<Pick<PlannedResource, "parent" | "provider" | "dependencies" | "propertyDependencies">> & {
        options?: Partial<PlannedResource["options"]>;
    };

/** A resource the engine did not see registered (from a manifest, a plan file, a benchmark), with engine defaults. */
export function plannedResource(
    urn: string,
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    extra: Partial<PlannedResource> = {},
): PlannedResource {
    return {
        urn,
        type,
        name,
        custom: true,
        inputs,
        outputs: inputs,
        secretPaths: [],
        unknownPaths: [],
        dependencies: [],
        propertyDependencies: {},
        options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [] },
        ...extra,
    };
}
