import { hardenedContainer, hardenedPodSpec, workload } from "./fixtures";
import { EvaluatedResource } from "../../tools/engine/resource";

// Variations of the hardened fixtures for the workload-hardening policy tests (policy/containers/kubernetes*.ts).

/** Where `workload(kind)` puts its pod spec, as policy messages name it. */
export const POD_SPEC_PATH: Record<string, string> = {
    Pod: "spec",
    Deployment: "spec.template.spec",
    StatefulSet: "spec.template.spec",
    DaemonSet: "spec.template.spec",
    ReplicaSet: "spec.template.spec",
    Job: "spec.template.spec",
    CronJob: "spec.jobTemplate.spec.template.spec",
};

/** `base` with `changes` applied; a change to undefined removes the field. */
function patched(base: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = { ...base, ...changes };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete result[key];
    }
    return result;
}

/** The hardened container's securityContext with `changes` applied (undefined removes a field). */
export function hardenedSecurityContext(changes: Record<string, unknown> = {}): Record<string, unknown> {
    return patched(hardenedContainer("x").securityContext as Record<string, unknown>, changes);
}

/** A hardened container whose securityContext differs from the hardened one by `changes` only. */
export function containerWithSecurity(
    name: string,
    changes: Record<string, unknown>,
    overrides: Record<string, unknown> = {},
): Record<string, unknown> {
    return hardenedContainer(name, { securityContext: hardenedSecurityContext(changes), ...overrides });
}

/** A hardened container without `fields` (e.g. "securityContext", "resources", "readinessProbe"). */
export function containerWithout(name: string, ...fields: string[]): Record<string, unknown> {
    const container = hardenedContainer(name);
    for (const field of fields) delete container[field];
    return container;
}

/** A hardened pod spec whose pod-level securityContext differs by `changes` (undefined removes a field). */
export function podSpecWithSecurity(changes: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const spec = hardenedPodSpec(overrides);
    return patched(spec, { securityContext: patched(spec.securityContext as Record<string, unknown>, changes) });
}

/** A hardened pod spec with no pod-level securityContext at all. */
export function podSpecWithoutSecurity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return patched(hardenedPodSpec(overrides), { securityContext: undefined });
}

/** `resource` with its workload spec (replicas, strategy; not the pod's) changed by `changes` (undefined removes a field). */
export function withWorkloadSpec(resource: EvaluatedResource, changes: Record<string, unknown>): EvaluatedResource {
    resource.inputs = { ...resource.inputs, spec: patched(resource.inputs.spec as Record<string, unknown>, changes) };
    resource.outputs = resource.inputs;
    return resource;
}

/** A hardened Deployment that also rolls with no downtime (the fixture's own Deployment sets no strategy). */
export function rollingDeployment(
    strategy: unknown = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    name = "api",
): EvaluatedResource {
    return withWorkloadSpec(workload("Deployment", hardenedPodSpec(), "staging", name), { strategy });
}
