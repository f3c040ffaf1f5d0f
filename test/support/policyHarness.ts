import { Policy } from "@pulumi/policy";
import { evaluatePolicies, EvaluationResult, PolicyConfigFile } from "../../tools/engine/policyEngine";
import { EvaluatedResource } from "../../tools/engine/resource";

export const PROJECT = "trading-platform";

export function urnOf(stack: string, type: string, name: string, parentType?: string): string {
    return `urn:pulumi:${stack}::${PROJECT}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
}

export function resourceOf(
    stack: string,
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    extra: Partial<EvaluatedResource> = {},
): EvaluatedResource {
    return { urn: urnOf(stack, type, name), type, name, inputs, outputs: inputs, ...extra };
}

/** Evaluates one policy, alone in a pack, with the engine's semantics. */
export async function evaluateOne(
    policy: Policy,
    resources: EvaluatedResource[],
    config: PolicyConfigFile = {},
): Promise<EvaluationResult> {
    return evaluatePolicies({ name: "test-pack", version: "0.0.0", enforcementLevel: "mandatory", policies: [policy] }, resources, config);
}

/** The detail lines of a policy's violations (what follows the description), for assertions. */
export async function violationsOf(policy: Policy, resources: EvaluatedResource[], config: PolicyConfigFile = {}): Promise<string[]> {
    const result = await evaluateOne(policy, resources, config);
    if (result.errors.length > 0) {
        throw new Error(`policy ${policy.name} threw: ${result.errors.map(e => e.message).join("; ")}`);
    }
    return result.violations.map(v => v.detail);
}
