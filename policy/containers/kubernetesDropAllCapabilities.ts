import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { listOf } from "../lib/kubernetesSecurity";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

/** The one capability the Pod Security "restricted" profile lets a container add back. */
const ALLOWED_ADD = "NET_BIND_SERVICE";

export const kubernetesDropAllCapabilities: ResourceValidationPolicy = {
    name: "kubernetes-drop-all-capabilities",
    description:
        "Every container of a Kubernetes workload (init and ephemeral ones included) drops all Linux capabilities and adds back none but NET_BIND_SERVICE.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["container-hardening", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        for (const ref of containersOf(workload)) {
            const capabilities = ref.container.securityContext?.capabilities;
            const problems: string[] = [];
            const fixes: string[] = [];
            const drop = capabilities?.drop;
            if (!listOf(drop).some(c => typeof c === "string" && c.toUpperCase() === "ALL")) {
                problems.push(`securityContext.capabilities.drop ${showValue(drop)}, without "ALL"`);
                fixes.push('set securityContext.capabilities.drop: ["ALL"] on the container');
            }
            const added = listOf(capabilities?.add).filter(c => c !== ALLOWED_ADD);
            if (added.length > 0) {
                problems.push(`securityContext.capabilities.add ${showValue(added)}`);
                fixes.push(
                    `remove ${added.map(showValue).join(", ")} from securityContext.capabilities.add (only ${ALLOWED_ADD} may be added back)`,
                );
            }
            if (problems.length > 0) {
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} has ${problems.join(" and ")}. Fix: ${fixes.join(" and ")}.`,
                );
            }
        }
    }),
};
