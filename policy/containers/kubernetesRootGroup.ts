import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { effectiveSecurityValue, listOf, sourceOf } from "../lib/kubernetesSecurity";
import { withMetadata } from "../lib/metadata";

export const kubernetesRootGroup: ResourceValidationPolicy = {
    name: "kubernetes-root-group",
    description: "No container runs in the root group: runAsGroup, fsGroup and supplementalGroups are never 0.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["container-hardening", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        const fix = "Fix: set a non-zero group (the components use 10001) and drop 0 from supplementalGroups.";
        const pod = workload.podSpec?.securityContext;
        const podProblems: string[] = [];
        if (pod?.fsGroup === 0) podProblems.push("fsGroup 0 (every mounted volume is group-owned by root)");
        if (listOf(pod?.supplementalGroups).includes(0)) podProblems.push("supplementalGroups with 0");
        if (podProblems.length > 0) {
            reportViolation(
                `${workload.kind} "${args.name}": ${workload.podSpecPath}.securityContext has ${podProblems.join(" and ")}. ${fix}`,
            );
        }
        for (const ref of containersOf(workload)) {
            const group = effectiveSecurityValue(workload, ref, context => context.runAsGroup);
            if (group.value === 0) {
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} runs with runAsGroup 0 (root, ${sourceOf(group)}): it can read and write whatever the root group may. ${fix}`,
                );
            }
        }
    }),
};
