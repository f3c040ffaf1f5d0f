import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

export const kubernetesReadOnlyRootFilesystem: ResourceValidationPolicy = {
    name: "kubernetes-read-only-root-filesystem",
    description: "Every container of a Kubernetes workload (init and ephemeral ones included) has a read-only root filesystem.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["container-hardening", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        for (const ref of containersOf(workload)) {
            const value = ref.container.securityContext?.readOnlyRootFilesystem as unknown;
            if (value !== true) {
                // A string "true" reads as a pass in a message; say what it is instead.
                const found = typeof value === "string" ? `set to the string ${showValue(value)}, not the boolean true` : showValue(value);
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} has securityContext.readOnlyRootFilesystem ${found}. ` +
                        "Fix: set securityContext.readOnlyRootFilesystem: true (a boolean) on the container and mount an emptyDir volume at its scratch paths (e.g. /tmp).",
                );
            }
        }
    }),
};
