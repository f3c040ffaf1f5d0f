import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { withMetadata } from "../lib/metadata";

/** The pod fields that share a namespace of the node's (Pod Security baseline, "Host Namespaces"). */
export const HOST_NAMESPACE_FIELDS = ["hostNetwork", "hostPID", "hostIPC"] as const;

export const kubernetesHostNamespaces: ResourceValidationPolicy = {
    name: "kubernetes-host-namespaces",
    description: "No pod shares the node's network, process or IPC namespace, or runs as a Windows host process.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "critical", topics: ["container-hardening", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        const spec = workload.podSpec;
        const shared = HOST_NAMESPACE_FIELDS.filter(field => spec?.[field] === true);
        if (shared.length > 0) {
            reportViolation(
                `${workload.kind} "${args.name}": ${shared.map(field => `${workload.podSpecPath}.${field} true`).join(" and ")} ` +
                    "(the pod sees the node's own interfaces, processes or shared memory, and bypasses NetworkPolicy). " +
                    `Fix: remove ${shared.join(", ")} (or set false); reach the node's services through a Service or a DaemonSet's own port.`,
            );
        }
        // Pod Security baseline's "HostProcess": a Windows host process has the node's full privileges.
        if (spec?.securityContext?.windowsOptions?.hostProcess === true) {
            reportViolation(
                `${workload.kind} "${args.name}": ${workload.podSpecPath}.securityContext.windowsOptions.hostProcess true. Fix: remove hostProcess.`,
            );
        }
        for (const ref of containersOf(workload)) {
            if (ref.container.securityContext?.windowsOptions?.hostProcess === true) {
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} has securityContext.windowsOptions.hostProcess true. Fix: remove hostProcess.`,
                );
            }
        }
    }),
};
