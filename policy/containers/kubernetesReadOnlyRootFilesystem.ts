import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";

export const kubernetesReadOnlyRootFilesystem: ResourceValidationPolicy = {
    name: "kubernetes-read-only-root-filesystem",
    description: "Every container of a Kubernetes workload (init and ephemeral ones included) has a read-only root filesystem.",
    enforcementLevel: "mandatory",
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        for (const ref of containersOf(workload)) {
            const value = ref.container.securityContext?.readOnlyRootFilesystem;
            if (value !== true) {
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} has securityContext.readOnlyRootFilesystem ` +
                        `${value === undefined ? "unset" : String(value)}. ` +
                        "Fix: set securityContext.readOnlyRootFilesystem: true on the container and mount an emptyDir volume at its scratch paths (e.g. /tmp).",
                );
            }
        }
    }),
};
