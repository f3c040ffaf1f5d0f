import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { withMetadata } from "../lib/metadata";

/** Kinds whose pods serve until replaced; a Pod, Job or CronJob may run to completion. */
const LONG_RUNNING = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"];

export const kubernetesProbes: ResourceValidationPolicy = {
    name: "kubernetes-probes",
    description: "Every container of a long-running Kubernetes workload has a readiness probe and a liveness probe.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["availability", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        if (!LONG_RUNNING.includes(workload.kind)) return;
        // Init and ephemeral containers take no probes.
        for (const ref of containersOf(workload).filter(r => r.kind === "containers")) {
            const missing = (["readinessProbe", "livenessProbe"] as const).filter(probe => ref.container[probe] === undefined || ref.container[probe] === null);
            if (missing.length > 0) {
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} has no ${missing.join(", ")}. ` +
                        `Fix: set ${missing.join(" and ")} on the container (e.g. httpGet on its health endpoints).`,
                );
            }
        }
    }),
};
