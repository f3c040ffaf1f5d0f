import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { withMetadata } from "../lib/metadata";
import { showValue } from "../lib/report";

export const kubernetesProbes: ResourceValidationPolicy = {
    name: "kubernetes-probes",
    description:
        "Every container of a pod that is restarted whenever it stops (restartPolicy Always) has a readiness probe and a liveness probe.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["availability", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        // Judged by restartPolicy, not by kind: a pod that may stop for good (a job's, or a Pod with
        // OnFailure or Never) runs to completion; one restarted whenever it stops serves until replaced,
        // whether a bare Pod, a Deployment's, an Argo Rollout's or a DeploymentConfig's.
        if (workload.restartPolicy !== "Always") return;
        // Init and ephemeral containers take no probes.
        for (const ref of containersOf(workload).filter(r => r.kind === "containers")) {
            const missing = (["readinessProbe", "livenessProbe"] as const).filter(
                probe => ref.container[probe] === undefined || ref.container[probe] === null,
            );
            if (missing.length > 0) {
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} has no ${missing.join(", ")} ` +
                        `(its pod runs with restartPolicy ${showValue(workload.restartPolicy)}${workload.podSpec?.restartPolicy === undefined ? ", the default" : ""}). ` +
                        `Fix: set ${missing.join(" and ")} on the container (e.g. httpGet on its health endpoints).`,
                );
            }
        }
    }),
};
