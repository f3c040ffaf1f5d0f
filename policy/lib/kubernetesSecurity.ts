import { ContainerRef, SecurityContextShape, Workload } from "./kubernetes";
import { showValue } from "./report";

// Helpers shared by the workload-hardening policies (policy/containers/kubernetes*.ts).

/** A securityContext field as Kubernetes applies it to one container, and where that value came from. */
export interface EffectiveValue<T> {
    value: T | undefined;
    /** Which securityContext set it; undefined when neither did. */
    from: "container" | "pod" | undefined;
}

/**
 * The value a container runs with for a field that both the container's and the pod's securityContext
 * can set (runAsNonRoot, runAsUser, seccompProfile...): the container's when it sets one, else the pod's.
 */
export function effectiveSecurityValue<T>(
    workload: Workload,
    ref: ContainerRef,
    read: (context: SecurityContextShape) => T | undefined,
): EffectiveValue<T> {
    const own = read(ref.container.securityContext ?? {});
    if (own !== undefined && own !== null) return { value: own, from: "container" };
    const pod = read(workload.podSpec?.securityContext ?? {});
    if (pod !== undefined && pod !== null) return { value: pod, from: "pod" };
    return { value: undefined, from: undefined };
}

/** `false (from the pod's securityContext)`, or `unset (in both the container's and the pod's securityContext)`. */
export function describeEffective(effective: EffectiveValue<unknown>): string {
    return `${showValue(effective.value)} (${sourceOf(effective)})`;
}

/** `from the container's securityContext`, `from the pod's securityContext`, or where it is missing. */
export function sourceOf(effective: EffectiveValue<unknown>): string {
    return effective.from === undefined
        ? "in both the container's and the pod's securityContext"
        : `from the ${effective.from}'s securityContext`;
}

/** A list field as a list: a missing one is empty, a lone value (a mistyped manifest) is a list of one. */
export function listOf(value: unknown): unknown[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? [...value] : [value];
}

/** Whether a quantity (cpu, memory) is given at all; its format is Kubernetes' to validate. */
export function isSet(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}
