import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { isSet } from "../lib/kubernetesSecurity";
import { withMetadata } from "../lib/metadata";

const REQUIRED = [
    ["requests", "cpu"],
    ["requests", "memory"],
    ["limits", "cpu"],
    ["limits", "memory"],
] as const;

export const kubernetesResourceRequestsLimits: ResourceValidationPolicy = {
    name: "kubernetes-resource-requests-limits",
    description: "Every regular and init container of a Kubernetes workload sets CPU and memory requests and limits.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["availability", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        // Kubernetes forbids resources on ephemeral containers: they are not judged.
        for (const ref of containersOf(workload).filter(r => r.kind !== "ephemeralContainers")) {
            const resources = ref.container.resources;
            const missing = REQUIRED.filter(([group, name]) => !isSet(resources?.[group]?.[name])).map(
                ([group, name]) => `${group}.${name}`,
            );
            if (missing.length > 0) {
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} has no ${missing.join(", ")}. ` +
                        `Fix: set ${missing.map(m => `resources.${m}`).join(", ")} on the container.`,
                );
            }
        }
    }),
};
