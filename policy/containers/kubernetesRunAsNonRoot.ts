import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { describeEffective, effectiveSecurityValue, sourceOf } from "../lib/kubernetesSecurity";
import { withMetadata } from "../lib/metadata";

export const kubernetesRunAsNonRoot: ResourceValidationPolicy = {
    name: "kubernetes-run-as-non-root",
    description: "Every container of a Kubernetes workload (init and ephemeral ones included) runs as a non-root user.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["container-hardening", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        for (const ref of containersOf(workload)) {
            const runAsNonRoot = effectiveSecurityValue(workload, ref, context => context.runAsNonRoot);
            const runAsUser = effectiveSecurityValue(workload, ref, context => context.runAsUser);
            const problems: string[] = [];
            if (runAsNonRoot.value !== true) problems.push(`runAsNonRoot ${describeEffective(runAsNonRoot)}`);
            if (runAsUser.value === 0) problems.push(`runAsUser 0 (root, ${sourceOf(runAsUser)})`);
            if (problems.length > 0) {
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} has ${problems.join(" and ")}. ` +
                        "Fix: set runAsNonRoot: true and a non-zero runAsUser (e.g. 10001) in the pod's securityContext, " +
                        "and remove any runAsNonRoot: false or runAsUser: 0 from the container's.",
                );
            }
        }
    }),
};
