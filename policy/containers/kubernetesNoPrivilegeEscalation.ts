import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

export const kubernetesNoPrivilegeEscalation: ResourceValidationPolicy = {
    name: "kubernetes-no-privilege-escalation",
    description:
        "Every container of a Kubernetes workload (init and ephemeral ones included) forbids privilege escalation and is not privileged.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["container-hardening", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        for (const ref of containersOf(workload)) {
            const allowPrivilegeEscalation = ref.container.securityContext?.allowPrivilegeEscalation;
            const privileged = ref.container.securityContext?.privileged;
            const problems: string[] = [];
            const fixes: string[] = [];
            if (allowPrivilegeEscalation !== false) {
                problems.push(`securityContext.allowPrivilegeEscalation ${showValue(allowPrivilegeEscalation)}`);
                fixes.push("securityContext.allowPrivilegeEscalation: false");
            }
            if (privileged === true) {
                problems.push("securityContext.privileged true");
                fixes.push("securityContext.privileged: false (or remove it)");
            }
            if (problems.length > 0) {
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} has ${problems.join(" and ")}. ` +
                        `Fix: set ${fixes.join(" and ")} on the container.`,
                );
            }
        }
    }),
};
