import { ResourceValidationPolicy } from "@pulumi/policy";
import { forEachWorkload } from "../lib/kubernetes";
import { listOf } from "../lib/kubernetesSecurity";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

const ZONE_KEY = "topology.kubernetes.io/zone";

export const kubernetesZoneSpread: ResourceValidationPolicy = {
    name: "kubernetes-zone-spread",
    description: "A replicated Kubernetes workload spreads its pods across availability zones with a maximum skew of one.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["availability", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        // Judged by shape: whatever carries a pod template and more than one replica (a Deployment, a
        // StatefulSet, an Argo Rollout, a DeploymentConfig). One pod cannot spread; a DaemonSet runs one
        // per node and a job's pods run to completion, and neither has replicas.
        if (typeof workload.replicas !== "number" || workload.replicas <= 1) return;
        const constraints = listOf(workload.podSpec?.topologySpreadConstraints) as { topologyKey?: unknown; maxSkew?: unknown }[];
        const spreads = constraints.some(c => c?.topologyKey === ZONE_KEY && typeof c.maxSkew === "number" && c.maxSkew <= 1);
        if (!spreads) {
            const found =
                constraints.length === 0
                    ? "none"
                    : constraints.map(c => `topologyKey ${showValue(c?.topologyKey)} with maxSkew ${showValue(c?.maxSkew)}`).join("; ");
            reportViolation(
                `${workload.kind} "${args.name}": ${workload.replicas} replicas but ${workload.podSpecPath}.topologySpreadConstraints ` +
                    `has no entry on ${ZONE_KEY} with maxSkew <= 1 (found: ${found}). ` +
                    `Fix: add { topologyKey: "${ZONE_KEY}", maxSkew: 1, whenUnsatisfiable: "DoNotSchedule", labelSelector: <the pod's labels> } ` +
                    `to ${workload.podSpecPath}.topologySpreadConstraints.`,
            );
        }
    }),
};
