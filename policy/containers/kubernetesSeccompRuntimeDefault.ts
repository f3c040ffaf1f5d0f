import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { describeEffective, effectiveSecurityValue } from "../lib/kubernetesSecurity";
import { withMetadata } from "../lib/metadata";

/** Seccomp profile types that filter syscalls ("Unconfined" does not). */
const FILTERING_TYPES: readonly unknown[] = ["RuntimeDefault", "Localhost"];

export const kubernetesSeccompRuntimeDefault: ResourceValidationPolicy = {
    name: "kubernetes-seccomp-runtime-default",
    description:
        "Every container of a Kubernetes workload (init and ephemeral ones included) runs under the RuntimeDefault or a Localhost seccomp profile.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["container-hardening", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        for (const ref of containersOf(workload)) {
            const type = effectiveSecurityValue(workload, ref, context => context.seccompProfile?.type);
            if (!FILTERING_TYPES.includes(type.value)) {
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} has seccompProfile.type ${describeEffective(type)}. ` +
                        'Fix: set seccompProfile: { type: "RuntimeDefault" } in the pod\'s securityContext (or "Localhost" with a localhostProfile), ' +
                        "and remove any other seccompProfile from the container's.",
                );
            }
        }
    }),
};
