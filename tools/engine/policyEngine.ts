import {
    EnforcementLevel,
    Policies,
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidation,
    ResourceValidationPolicy,
    StackValidationPolicy,
    ResourceValidationArgs,
    UnknownValueError,
    unknownCheckingProxy,
    Severity,
} from "@pulumi/policy";
import Ajv, { ValidateFunction } from "ajv";
import { onFlaggedValue } from "../../policy/lib/flagged";
import { UsageError } from "../cli/errors";
import { EvaluatedResource } from "./resource";

export { EvaluatedResource } from "./resource";

// An in-process evaluator with the semantics of the engine and @pulumi/policy's analyzer server
// (sdk/nodejs/policy/server.ts) and the CLI's policy config reconciliation (pkg/resource/analyzer/config.go).

export interface PolicyPackDefinition {
    name: string;
    version: string;
    enforcementLevel: EnforcementLevel;
    policies: Policies;
}

/** `--policy-pack-config` file contents: policy name (or "all") to a level, or to `{enforcementLevel, ...props}`. */
export type PolicyConfigFile = Record<string, unknown>;

export type ReportedLevel = "advisory" | "mandatory";

export interface PolicyViolation {
    policyName: string;
    enforcementLevel: ReportedLevel;
    /** The resource the violation is about; a stack policy may name one or none. */
    urn?: string;
    /** As the engine prints it: the policy's description, a newline, then the detail. */
    message: string;
    description: string;
    detail: string;
    /** True for the engine's "can't run policy during preview" notes (always advisory). */
    previewUnknown?: boolean;
    /** The policy's severity, as the engine stamps it on a diagnostic; absent when the policy sets none. */
    severity?: Severity;
}

export interface PolicyError {
    policyName: string;
    urn?: string;
    message: string;
}

export interface PolicyRemediation {
    policyName: string;
    urn: string;
}

export interface EvaluationResult {
    violations: PolicyViolation[];
    /** Policies that threw: under the CLI they fail the whole run, so they count as mandatory failures. */
    errors: PolicyError[];
    remediations: PolicyRemediation[];
    /** By URN: paths of values a credential policy flagged as plaintext credentials, for reports to redact. */
    flaggedPaths: Record<string, string[]>;
    /** The level each policy ran at after config reconciliation. */
    levels: Record<string, EnforcementLevel>;
    /** Notes that do not stop the run (config naming an unknown policy is an error, not a warning). */
    warnings: string[];
    counts: { resources: number; policies: number; validationsRun: number; notApplicable: number };
}

const levels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

interface ReconciledConfig {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

/**
 * Reconciles a policy config file with the pack as the CLI does: schema defaults of top-level
 * properties first, then "all"'s level for every policy, then each policy's own entry on top, then
 * validation of every policy's properties against its schema. Throws a UsageError listing every problem.
 */
export function reconcilePolicyConfig(
    pack: PolicyPackDefinition,
    file: PolicyConfigFile = {},
): { config: Record<string, ReconciledConfig>; warnings: string[] } {
    const problems: string[] = [];
    const warnings: string[] = [];
    const given: Record<string, ReconciledConfig> = {};
    for (const [name, value] of Object.entries(file)) {
        if (typeof value === "string") {
            if (!levels.includes(value as EnforcementLevel)) {
                problems.push(
                    `parsing enforcement level for "${name}": "${value}" is not a valid enforcement level (${levels.join(", ")})`,
                );
                continue;
            }
            given[name] = { enforcementLevel: value as EnforcementLevel, properties: {} };
        } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            if (enforcementLevel !== undefined && !levels.includes(enforcementLevel as EnforcementLevel)) {
                problems.push(
                    `parsing enforcement level for "${name}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level (${levels.join(", ")})`,
                );
                continue;
            }
            given[name] = { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties };
        } else {
            problems.push(`parsing "${name}": ${JSON.stringify(value)} is not a valid value; must be a string or object`);
        }
        // The CLI fails the run on this (a misspelt name would otherwise leave the policy at its default).
        if (name !== "all" && !pack.policies.some(p => p.name === name)) {
            problems.push(`"${name}" is not a policy of pack ${pack.name}; known policies: ${pack.policies.map(p => p.name).join(", ")}`);
        }
    }

    const result: Record<string, ReconciledConfig> = {};
    for (const policy of pack.policies) {
        const defaults: Record<string, unknown> = {};
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if (schema && typeof schema === "object" && "default" in schema) {
                defaults[key] = structuredClone((schema as { default: unknown }).default);
            }
        }
        result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties: defaults };
    }
    const all = given.all?.enforcementLevel;
    if (all) {
        for (const entry of Object.values(result)) entry.enforcementLevel = all;
    }
    for (const [name, entry] of Object.entries(given)) {
        if (name === "all" || !result[name]) continue;
        if (entry.enforcementLevel) result[name].enforcementLevel = entry.enforcementLevel;
        Object.assign(result[name].properties, entry.properties);
    }

    for (const policy of pack.policies) {
        if (!policy.configSchema) continue;
        const validate = configValidator(policy.configSchema);
        if (!validate(result[policy.name].properties)) {
            for (const error of validate.errors ?? []) {
                problems.push(`${policy.name}: ${error.instancePath || "(root)"} ${error.message}`);
            }
        }
    }
    if (problems.length > 0) {
        throw new UsageError(`Invalid policy pack config:\n${problems.map(p => `  - ${p}`).join("\n")}`);
    }
    return { config: result, warnings };
}

// Compiling a schema costs far more than evaluating a resource: each policy's schema is compiled once
// per process, keyed by the schema object itself so an edited schema is compiled anew.
const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new WeakMap<NonNullable<Policy["configSchema"]>, ValidateFunction>();
function configValidator(schema: NonNullable<Policy["configSchema"]>): ValidateFunction {
    let validate = validators.get(schema);
    if (!validate) {
        validate = ajv.compile({
            type: "object",
            properties: schema.properties,
            ...(schema.required?.length ? { required: schema.required } : {}),
        });
        validators.set(schema, validate);
    }
    return validate;
}

/**
 * The stacks the pack tells apart: every stagingStacks and productionStacks its policies are configured
 * with. A stack outside them is judged as neither, so no segregation rule would apply to it.
 */
export function knownStacks(pack: PolicyPackDefinition, file: PolicyConfigFile = {}): string[] {
    const { config } = reconcilePolicyConfig(pack, file);
    const stacks = new Set<string>();
    for (const entry of Object.values(config)) {
        for (const key of ["stagingStacks", "productionStacks"]) {
            const list = entry.properties[key];
            if (Array.isArray(list)) for (const s of list) if (typeof s === "string") stacks.add(s);
        }
    }
    return [...stacks].sort();
}

// The analyzer's own helpers (policy.ts) are internal to @pulumi/policy; these mirror them.
/** The Pulumi type `validateResourceOfType` and friends attach to the functions they return. */
function getPulumiType(obj: unknown): string | undefined {
    const pulumiType = (obj as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    return typeof pulumiType === "string" && pulumiType.length > 0 ? pulumiType : undefined;
}
function isResourcePolicy(p: Policy): p is ResourceValidationPolicy {
    const { validateResource, remediateResource } = p as ResourceValidationPolicy;
    if (typeof validateResource === "function") return true;
    if (Array.isArray(validateResource) && validateResource.every(v => typeof v === "function")) return true;
    return typeof remediateResource === "function";
}
function isStackPolicy(p: Policy): p is StackValidationPolicy {
    return typeof (p as StackValidationPolicy).validateStack === "function";
}

class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}
const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicableError(reason);
};

/** The level a policy runs at: its config, else its own, else the pack's. */
function levelOf(policy: Policy, pack: PolicyPackDefinition, config: Record<string, ReconciledConfig>): EnforcementLevel {
    return config[policy.name]?.enforcementLevel || policy.enforcementLevel || pack.enforcementLevel;
}

/**
 * Evaluates a pack over resources the way `pulumi preview --policy-pack` would: remediations first
 * (each resource's props flow through every remediate-level policy in order), then every resource
 * policy on every resource, then every stack policy over all resources.
 */
export async function evaluatePolicies(
    pack: PolicyPackDefinition,
    resources: EvaluatedResource[],
    configFile: PolicyConfigFile = {},
): Promise<EvaluationResult> {
    // Credential policies report where they found a value, for reports to redact (policy/lib/flagged.ts).
    // (The URNs are listed when a policy first flags something: most evaluations flag nothing.)
    let urns: Set<string> | undefined;
    const flagged = new Map<string, Set<string>>();
    const stopListening = onFlaggedValue((urn, path) => {
        if (!(urns ??= new Set(resources.map(r => r.urn))).has(urn)) return; // another evaluation's resource
        if (!flagged.has(urn)) flagged.set(urn, new Set());
        flagged.get(urn)!.add(path);
    });
    try {
        const result = await evaluate(pack, resources, configFile);
        return { ...result, flaggedPaths: Object.fromEntries([...flagged].map(([urn, paths]) => [urn, [...paths].sort()])) };
    } finally {
        stopListening();
    }
}

async function evaluate(
    pack: PolicyPackDefinition,
    resources: EvaluatedResource[],
    configFile: PolicyConfigFile,
): Promise<Omit<EvaluationResult, "flaggedPaths">> {
    const { config, warnings } = reconcilePolicyConfig(pack, configFile);
    const violations: PolicyViolation[] = [];
    const errors: PolicyError[] = [];
    const remediations: PolicyRemediation[] = [];
    const counts = { resources: resources.length, policies: pack.policies.length, validationsRun: 0, notApplicable: 0 };
    const getConfigFor = (name: string) => () => freshCopy(config[name]?.properties ?? {});
    const byUrn = new Map(resources.map(r => [r.urn, r]));
    const providerOf = (urn?: string) => {
        const provider = urn ? byUrn.get(urn) : undefined;
        return provider
            ? { type: provider.type, name: provider.name, urn: provider.urn, props: unknownCheckingProxy(freshCopy(provider.inputs)) }
            : undefined;
    };
    // Data with no unknown value is frozen (in place when it is plain data, which the evaluation owns;
    // else as a copy) and shared by every policy that reads it (the engine deserializes a fresh copy
    // for each call). A policy that writes to shared data throws (the
    // pack's modules are strict mode), and any call that throws is run again, alone, on its own fresh
    // copies, with what the failed attempt reported discarded: so no policy ever sees another's
    // changes, a policy that mutates its input still runs as under the engine, and a genuine error is
    // reported from the run that matches the engine's. Sharing frozen copies costs one copy per
    // resource instead of one per call, and nothing after each call.
    const frozenProviders = new Map<string, NonNullable<ResourceValidationArgs["provider"]>>();
    const frozenProviderOf = (provider: EvaluatedResource, props: "inputs" | "outputs") => {
        const key = `${props} ${provider.urn}`;
        let view = frozenProviders.get(key);
        if (!view) {
            frozenProviders.set(
                key,
                (view = Object.freeze({
                    type: provider.type,
                    name: provider.name,
                    urn: provider.urn,
                    props: frozenIfKnown(provider[props]) ?? frozenCopy(provider[props]),
                })),
            );
        }
        return view;
    };
    const frozenData = new WeakMap<object, Record<string, unknown> | null>();
    /** `data` copied and frozen (once per object), or undefined when it holds an unknown and needs the checking proxy. */
    const frozenIfKnown = (data: Record<string, unknown>): Record<string, unknown> | undefined => {
        let copy = frozenData.get(data);
        if (copy === undefined) frozenData.set(data, (copy = frozenInPlace(data) ?? frozenKnownCopy(data) ?? null));
        return copy ?? undefined;
    };
    const frozenConfigs = new Map<string, Record<string, unknown>>();
    const frozenConfigFor = (name: string) => () => {
        let copy = frozenConfigs.get(name);
        if (!copy) frozenConfigs.set(name, (copy = frozenCopy(config[name]?.properties ?? {})));
        return copy;
    };

    // The engine copies the policy's severity onto each diagnostic (the object form may set its own);
    // a policy with none leaves the field out, so such a violation's JSON is as before.
    const severityOf = (severity: Severity | undefined) => (severity ? { severity } : {});
    const reporterFor =
        (policy: Policy, level: ReportedLevel, sink: PolicyViolation[], defaultUrnOf?: () => string): ReportViolation =>
        (message, urn) => {
            const defaultUrn = defaultUrnOf?.();
            if (typeof message === "object" && message !== null) {
                // The object form sets its own message, level and URN, and is not prefixed with the description.
                const info = message as {
                    message?: string;
                    enforcementLevel?: string;
                    urn?: string;
                    description?: string;
                    severity?: Severity;
                };
                const detail = info.message || info.description || policy.description;
                const own = info.enforcementLevel === "advisory" || info.enforcementLevel === "mandatory" ? info.enforcementLevel : level;
                sink.push({
                    policyName: policy.name,
                    enforcementLevel: own,
                    urn: info.urn ?? defaultUrn,
                    message: detail,
                    description: policy.description,
                    detail,
                    ...severityOf(info.severity || policy.severity),
                });
                return;
            }
            const detail = typeof message === "string" ? message : "";
            sink.push({
                policyName: policy.name,
                enforcementLevel: level,
                urn: urn ?? defaultUrn,
                message: detail ? `${policy.description}\n${detail}` : policy.description,
                description: policy.description,
                detail,
                ...severityOf(policy.severity),
            });
        };
    const previewNote = (policy: Policy, e: UnknownValueError, urn?: string) => {
        const detail = `can't run policy '${policy.name}' from policy pack '${pack.name}@v${pack.version}' during preview: ${e.message}`;
        violations.push({
            policyName: policy.name,
            enforcementLevel: "advisory",
            urn,
            message: detail,
            description: policy.description,
            detail,
            previewUnknown: true,
            ...severityOf(policy.severity),
        });
    };

    const resourcePolicies = pack.policies.filter((p): p is ResourceValidationPolicy => isResourcePolicy(p));
    const stackPolicies = pack.policies.filter((p): p is StackValidationPolicy => isStackPolicy(p));
    // What each resource policy runs at, decided once rather than per resource.
    const validating = resourcePolicies.flatMap(policy => {
        let level = levelOf(policy, pack, config);
        if (level === "disabled" || !policy.validateResource) return [];
        if (level === "remediate") level = "mandatory";
        const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
        return [
            {
                policy,
                level: level as ReportedLevel,
                policyType: Array.isArray(policy.validateResource) ? undefined : getPulumiType(policy.validateResource),
                validations: validations.map(validate => ({ validate, type: getPulumiType(validate) })),
                getConfig: getConfigFor(policy.name),
                getFrozenConfig: frozenConfigFor(policy.name),
            },
        ];
    });
    type Call = {
        policy: ResourceValidationPolicy;
        level: ReportedLevel;
        validate: ResourceValidation;
        getConfig: () => Record<string, unknown>;
        getFrozenConfig: () => Record<string, unknown>;
        report: ReportViolation;
    };
    // One reporter per call of the plan, reporting against the resource being evaluated.
    let currentUrn = "";
    let currentCall: Call | undefined;
    const reporterOf = (policy: Policy, level: ReportedLevel): ReportViolation => {
        return reporterFor(policy, level, violations, () => currentUrn);
    };
    /** What a call threw, undefined when it returned; a promise only for an asynchronous validation. */
    const settle = (call: Call, args: ResourceValidationArgs): unknown => {
        try {
            // Most validations are synchronous: awaiting only a promise saves a microtask turn per call.
            const pending = call.validate(args, call.report) as unknown;
            if (pending instanceof Promise) {
                return pending.then(
                    () => undefined,
                    (e: unknown) => e ?? new Error(String(e)),
                );
            }
            return undefined;
        } catch (e) {
            return e ?? new Error(String(e));
        }
    };
    // Which calls a resource of each type gets, in pack order: a typed validation (validateResourceOfType)
    // would only find the type is not its own, so it is counted as not applicable without a call.
    const callsByType = new Map<string, { calls: Call[]; skipped: number }>();
    const callsFor = (type: string) => {
        let plan = callsByType.get(type);
        if (plan) return plan;
        plan = { calls: [], skipped: 0 };
        for (const { policy, level, policyType, validations, getConfig, getFrozenConfig } of validating) {
            if (policyType && policyType !== type) {
                plan.skipped++;
                continue;
            }
            for (const { validate, type: validationType } of validations) {
                // A validation that says which types it judges (policy/lib/validation.ts) returns at once for the others.
                const appliesTo = (validate as { appliesTo?: (resourceType: string) => boolean }).appliesTo;
                if ((validationType && validationType !== type) || (typeof appliesTo === "function" && !appliesTo(type))) plan.skipped++;
                else plan.calls.push({ policy, level, validate, getConfig, getFrozenConfig, report: reporterOf(policy, level) });
            }
        }
        callsByType.set(type, plan);
        return plan;
    };
    const remediating = resourcePolicies.filter(policy => levelOf(policy, pack, config) === "remediate" && policy.remediateResource);

    for (const resource of resources) {
        // Remediation pass: props are threaded through each remediating policy in pack order.
        let props: Record<string, unknown> = resource.inputs;
        for (const policy of remediating) {
            const pulumiType = getPulumiType(policy.remediateResource);
            if (pulumiType && pulumiType !== resource.type) continue;
            try {
                const result = await policy.remediateResource!(
                    resourceArgs(
                        resource,
                        unknownCheckingProxy(freshCopy(props)),
                        optionsOf(resource),
                        getConfigFor(policy.name),
                        providerOf(resource.provider),
                    ),
                );
                if (result) {
                    props = unproxy(result);
                    remediations.push({ policyName: policy.name, urn: resource.urn });
                }
            } catch (e) {
                if (e instanceof NotApplicableError) continue;
                if (e instanceof UnknownValueError) {
                    previewNote(policy, e, resource.urn);
                    continue;
                }
                errors.push({ policyName: policy.name, urn: resource.urn, message: `Error remediating resource: ${(e as Error).message}` });
            }
        }

        const provider = resource.provider ? byUrn.get(resource.provider) : undefined;
        const { calls, skipped } = callsFor(resource.type);
        counts.notApplicable += skipped;
        if (calls.length === 0) continue;
        // Copied and frozen once per source object: a stack policy reading outputs that are the inputs reuses it.
        const frozenProps = frozenIfKnown(props);
        const shareable = frozenProps !== undefined && !(provider && frozenIfKnown(provider.inputs) === undefined);
        const ownArgs = (call: Call) =>
            resourceArgs(
                resource,
                unknownCheckingProxy(freshCopy(props)),
                optionsOf(resource),
                call.getConfig,
                providerOf(resource.provider),
            );
        // One frozen args object for every call on the shared data: its getConfig answers for the call running.
        let frozenArgs: ResourceValidationArgs | undefined;
        const sharedArgs = (call: Call) => {
            currentCall = call;
            return (frozenArgs ??= Object.freeze(
                resourceArgs(
                    resource,
                    frozenProps!,
                    frozenOptionsOf(resource),
                    () => currentCall!.getFrozenConfig(),
                    provider && frozenProviderOf(provider, "inputs"),
                    sharedArgParts(resource, frozenProps!),
                ),
            ));
        };

        currentUrn = resource.urn;
        for (const call of calls) {
            counts.validationsRun++;
            const mark = violations.length;
            let thrown = settle(call, shareable ? sharedArgs(call) : ownArgs(call));
            if (thrown instanceof Promise) thrown = await thrown;
            if (thrown !== undefined && shareable && !(thrown instanceof NotApplicableError)) {
                // A write to shared data, or a genuine error: run the call again as the engine would.
                violations.length = mark;
                thrown = settle(call, ownArgs(call));
                if (thrown instanceof Promise) thrown = await thrown;
            }
            if (thrown === undefined) continue;
            if (thrown instanceof NotApplicableError) {
                counts.notApplicable++;
            } else if (thrown instanceof UnknownValueError) {
                previewNote(call.policy, thrown, resource.urn);
            } else {
                errors.push({
                    policyName: call.policy.name,
                    urn: resource.urn,
                    message: `Error validating resource: ${(thrown as Error).message}`,
                });
            }
        }
    }

    if (stackPolicies.length > 0) {
        // Without an unknown anywhere, every stack policy reads one set of frozen views (outputs copied
        // and frozen when first read); a policy that throws runs again on views of its own.
        const frozenViews = resources.some(r => frozenIfKnown(r.outputs) === undefined)
            ? undefined
            : stackView(resources, byUrn, { outputOf: r => frozenIfKnown(r.outputs)!, providerOf: p => frozenProviderOf(p, "outputs") });
        for (const policy of stackPolicies) {
            let level = levelOf(policy, pack, config);
            if (level === "disabled") continue;
            if (level === "remediate") level = "mandatory";
            const pulumiType = getPulumiType(policy.validateStack);
            if (pulumiType && !resources.some(r => r.type === pulumiType)) {
                counts.notApplicable++;
                continue;
            }
            counts.validationsRun++;
            const mark = violations.length;
            const run = async (views: PolicyResource[], getConfig: () => Record<string, unknown>): Promise<unknown> => {
                try {
                    await policy.validateStack(
                        { resources: views, getConfig, notApplicable: throwNotApplicable } as Parameters<
                            StackValidationPolicy["validateStack"]
                        >[0],
                        reporterFor(policy, level as ReportedLevel, violations),
                    );
                    return undefined;
                } catch (e) {
                    return e;
                }
            };
            let thrown = frozenViews
                ? await run(frozenViews, frozenConfigFor(policy.name))
                : await run(stackView(resources, byUrn), getConfigFor(policy.name));
            if (thrown !== undefined && frozenViews && !(thrown instanceof NotApplicableError)) {
                violations.length = mark;
                thrown = await run(stackView(resources, byUrn), getConfigFor(policy.name));
            }
            if (thrown === undefined) continue;
            if (thrown instanceof NotApplicableError) counts.notApplicable++;
            else if (thrown instanceof UnknownValueError) previewNote(policy, thrown);
            else errors.push({ policyName: policy.name, message: `Error validating stack: ${(thrown as Error).message}` });
        }
    }

    const levelsRun = Object.fromEntries(pack.policies.map(p => [p.name, levelOf(p, pack, config)]));
    return { violations, errors, remediations, levels: levelsRun, warnings, counts };
}

// The markers @pulumi/policy's proxy throws UnknownValueError on; its typings keep them internal.
const unknownMarkers = new Set(
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module has no typings to import by
    Object.entries(require("@pulumi/policy/proxy") as Record<string, unknown>)
        .filter(([key]) => /^unknown\w+Value$/.test(key))
        .map(([, value]) => value),
);
// Every marker is a UUID: a string of another length is known without hashing it.
const markerLengths = new Set([...unknownMarkers].map(marker => (marker as string).length));
const isUnknownMarker = (value: string) => markerLengths.has(value.length) && unknownMarkers.has(value);

/** Whether reading `value` anywhere could meet an unknown, i.e. whether it needs the checking proxy. */
function containsUnknown(value: unknown): boolean {
    if (typeof value === "string") return isUnknownMarker(value);
    if (value === null || typeof value !== "object") return false;
    if (Array.isArray(value)) return value.some(containsUnknown);
    for (const key in value) if (containsUnknown((value as Record<string, unknown>)[key])) return true;
    return false;
}

/** The options of a resource registered with none and no parent, frozen: most resources share them. */
const defaultOptions: ResourceValidationArgs["opts"] = deepFreeze({
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
});
/** optionsOf, frozen: the shared default options when the resource has no parent and sets none. */
function frozenOptionsOf(resource: EvaluatedResource): ResourceValidationArgs["opts"] {
    const options = resource.options;
    const plain =
        !resource.parent &&
        (options === undefined ||
            ((options.protect === undefined || options.protect === false) &&
                !options.ignoreChanges?.length &&
                !options.additionalSecretOutputs?.length &&
                options.deleteBeforeReplace === undefined));
    return plain ? defaultOptions : frozenCopy(optionsOf(resource));
}
function optionsOf(resource: EvaluatedResource): ResourceValidationArgs["opts"] {
    return {
        protect: resource.options?.protect ?? false,
        ignoreChanges: resource.options?.ignoreChanges ?? [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: resource.options?.additionalSecretOutputs ?? [],
        ...(resource.parent ? { parent: resource.parent } : {}),
        ...(resource.options?.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: resource.options.deleteBeforeReplace } : {}),
    };
}

/** A Map no one can change: the stack tags every call on frozen data shares (a write throws, and the call runs again alone). */
class FrozenMap<K, V> extends Map<K, V> {
    private sealed = false;
    constructor() {
        super();
        this.sealed = true;
    }
    override set(key: K, value: V): this {
        if (this.sealed) throw new TypeError("Cannot change the shared stackTags");
        return super.set(key, value);
    }
    override delete(): boolean {
        throw new TypeError("Cannot change the shared stackTags");
    }
    override clear(): void {
        throw new TypeError("Cannot change the shared stackTags");
    }
}

/** The parts of a call's args that depend on the resource alone, made once for all the calls on its shared data. */
interface SharedArgParts {
    stackTags: Map<string, string>;
    isType: ResourceValidationArgs["isType"];
    asType: ResourceValidationArgs["asType"];
}
/** The stack tags every call on frozen data shares: none (offline there are none), and no policy can add one. */
const frozenStackTags = new FrozenMap<string, string>();
function sharedArgParts(resource: EvaluatedResource, props: Record<string, unknown>, frozen = true): SharedArgParts {
    return {
        stackTags: frozen ? frozenStackTags : new Map<string, string>(),
        isType: (cls => getPulumiType(cls) === resource.type) as ResourceValidationArgs["isType"],
        asType: (cls => (getPulumiType(cls) === resource.type ? props : undefined)) as ResourceValidationArgs["asType"],
    };
}

/** What `validateResource` and `remediateResource` receive, field for field as the analyzer builds it. */
function resourceArgs(
    resource: EvaluatedResource,
    props: Record<string, unknown>,
    opts: ResourceValidationArgs["opts"],
    getConfig: () => Record<string, unknown>,
    provider: ResourceValidationArgs["provider"],
    shared: SharedArgParts = sharedArgParts(resource, props, false),
): ResourceValidationArgs {
    const args: ResourceValidationArgs = {
        type: resource.type,
        props,
        urn: resource.urn,
        name: resource.name,
        opts,
        stackTags: shared.stackTags,
        isType: shared.isType,
        asType: shared.asType,
        getConfig: getConfig as ResourceValidationArgs["getConfig"],
        notApplicable: throwNotApplicable,
    };
    if (provider) args.provider = provider;
    return args;
}

/**
 * A resource as `validateStack` sees it: outputs as props (read when first asked for), parent,
 * provider and dependencies linked as views. A class, so a stack of thousands of resources costs one
 * small object each, with the methods shared.
 */
class StackResourceView {
    parent?: StackResourceView;
    provider?: unknown;
    dependencies: StackResourceView[] = [];
    propertyDependencies: Record<string, StackResourceView[]> = {};
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    #props: Record<string, unknown> | undefined;
    #opts: ResourceValidationArgs["opts"] | undefined;
    readonly #source: EvaluatedResource;
    readonly #frozen: StackViewSharing | undefined;

    constructor(source: EvaluatedResource, frozen: StackViewSharing | undefined) {
        this.type = source.type;
        this.urn = source.urn;
        this.name = source.name;
        this.#source = source;
        this.#frozen = frozen;
    }
    get props(): Record<string, unknown> {
        return (this.#props ??= this.#frozen ? this.#frozen.outputOf(this.#source) : unknownCheckingProxy(freshCopy(this.#source.outputs)));
    }
    get opts(): ResourceValidationArgs["opts"] {
        return (this.#opts ??= this.#frozen ? frozenOptionsOf(this.#source) : optionsOf(this.#source));
    }
    // A policy's own views take an assigned `opts`, as deserialized objects would; shared ones refuse it.
    set opts(value: ResourceValidationArgs["opts"]) {
        if (this.#frozen) throw new TypeError("Cannot assign opts of a shared resource view");
        this.#opts = value;
    }
    isType(cls: unknown): boolean {
        return getPulumiType(cls) === this.type;
    }
    asType(cls: unknown): Record<string, unknown> | undefined {
        return this.isType(cls) ? this.props : undefined;
    }
}

interface StackViewSharing {
    outputOf: (resource: EvaluatedResource) => Record<string, unknown>;
    providerOf: (provider: EvaluatedResource) => unknown;
}

/**
 * Resources as `validateStack` sees them. Each policy gets its own views, and its own copy of a
 * resource's props made when it first reads them (as the engine deserializes one per policy), unless
 * `frozen` is given: then the views, their options and the props (`frozen.outputOf`) are frozen, for
 * every policy to share.
 */
function stackView(
    resources: EvaluatedResource[],
    resourceByUrn: ReadonlyMap<string, EvaluatedResource>,
    frozen?: StackViewSharing,
): PolicyResource[] {
    const byUrn = new Map<string, StackResourceView>();
    const views = resources.map(r => {
        const view = new StackResourceView(r, frozen);
        byUrn.set(r.urn, view);
        return view;
    });
    resources.forEach((r, i) => {
        const view = views[i];
        if (r.parent && byUrn.has(r.parent)) view.parent = byUrn.get(r.parent);
        const provider = r.provider ? resourceByUrn.get(r.provider) : undefined;
        if (provider) {
            view.provider = frozen
                ? frozen.providerOf(provider)
                : { type: provider.type, name: provider.name, urn: provider.urn, props: unknownCheckingProxy(freshCopy(provider.outputs)) };
        }
        if (r.dependencies?.length) {
            view.dependencies = r.dependencies.map(d => byUrn.get(d)).filter((d): d is StackResourceView => Boolean(d));
        }
        for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) {
            view.propertyDependencies[key] = deps.map(d => byUrn.get(d)).filter((d): d is StackResourceView => Boolean(d));
        }
        if (frozen) {
            Object.freeze(view.dependencies);
            for (const deps of Object.values(view.propertyDependencies)) Object.freeze(deps);
            Object.freeze(view.propertyDependencies);
            Object.freeze(view);
        }
    });
    if (frozen) Object.freeze(views);
    return views as unknown as PolicyResource[];
}

/** A deep copy of `value`, frozen throughout: data every policy may read and none may change. */
function frozenCopy<T>(value: T): T {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
    if (Object.getPrototypeOf(value) !== Object.prototype) return deepFreeze(structuredClone(value));
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = frozenCopy((value as Record<string, unknown>)[key]);
    return Object.freeze(copy) as T;
}
/**
 * `value` itself, frozen throughout, when it is plain data (objects, arrays, scalars) with no unknown
 * value; else undefined. The evaluation owns the resources it is given: freezing them in place costs
 * no copy, and no policy can change what the next one reads.
 */
function frozenInPlace(value: Record<string, unknown>): Record<string, unknown> | undefined {
    return freezeKnown(value) ? value : undefined;
}
/**
 * Freezes `value` throughout as it walks it, and says whether it is plain data with no unknown value:
 * it stops at the first unknown or non-plain value, and data it stopped in is used through copies, so
 * what it froze is only never written again. An object already frozen was judged when it was frozen.
 */
function freezeKnown(value: unknown): boolean {
    if (typeof value === "string") return !isUnknownMarker(value);
    if (value === null || typeof value !== "object" || Object.isFrozen(value)) return true;
    if (Array.isArray(value)) {
        Object.freeze(value);
        for (let i = 0; i < value.length; i++) if (!freezeKnown(value[i])) return false;
        return true;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return false;
    Object.freeze(value);
    for (const key in value) if (!freezeKnown((value as Record<string, unknown>)[key])) return false;
    return true;
}

/** As frozenCopy, or undefined as soon as it meets an unknown value: one pass instead of a check and a copy. */
function frozenKnownCopy(value: Record<string, unknown>): Record<string, unknown> | undefined {
    let unknown = false;
    const copy = (v: unknown): unknown => {
        if (typeof v === "string") {
            if (isUnknownMarker(v)) unknown = true;
            return v;
        }
        if (v === null || typeof v !== "object" || unknown) return v;
        if (Array.isArray(v)) return Object.freeze(v.map(copy));
        if (Object.getPrototypeOf(v) !== Object.prototype) {
            return containsUnknown(v) ? ((unknown = true), v) : deepFreeze(structuredClone(v));
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(v)) out[key] = copy((v as Record<string, unknown>)[key]);
        return Object.freeze(out);
    };
    const result = copy(value) as Record<string, unknown>;
    return unknown ? undefined : result;
}
function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    }
    return value;
}

/**
 * A deep copy of resource data, as the engine's deserialization gives each policy. Plain data (what
 * the mock runtime and manifests produce) is copied directly, several times faster than
 * structuredClone; anything else falls back to it.
 */
function freshCopy<T>(value: T): T {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(freshCopy) as T;
    if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = freshCopy((value as Record<string, unknown>)[key]);
    return copy as T;
}

/** A remediation may return the proxied props it was given, modified: copy them back to plain data. */
function unproxy(value: Record<string, unknown>): Record<string, unknown> {
    return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
