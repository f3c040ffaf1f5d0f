import { ResourceValidation } from "@pulumi/policy";

// Untyped validations that judge only some resource types. Each checks the type itself, since the
// engine calls every validation of a policy on every resource; the in-process evaluator
// (tools/engine/policyEngine.ts) also reads `appliesTo` once per type, to skip the calls that would
// return at once.

export type TypeFilter = (type: string) => boolean;

/** `validate`, called only for resource types `applies` accepts (and marked so for the evaluator). */
export function forTypes(applies: TypeFilter, validate: ResourceValidation): ResourceValidation {
    const filtered: ResourceValidation = (args, report) => (applies(args.type) ? validate(args, report) : undefined);
    return Object.assign(filtered, { appliesTo: applies });
}

/** Every Kubernetes type (manifests and the Kubernetes provider's resources). */
export const kubernetesTypes: TypeFilter = type => type.startsWith("kubernetes:");
