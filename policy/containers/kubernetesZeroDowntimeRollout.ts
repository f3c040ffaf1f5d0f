import * as k8s from "@pulumi/kubernetes";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

/** An IntOrString rollout bound (`1`, `"1"`, `"25%"`) as a number, or undefined when it is neither. */
function amountOf(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value !== "string") return undefined;
    const match = /^\s*(\d+)\s*%?\s*$/.exec(value);
    return match ? Number(match[1]) : undefined;
}

export const kubernetesZeroDowntimeRollout: ResourceValidationPolicy = {
    name: "kubernetes-zero-downtime-rollout",
    description: "A Kubernetes Deployment rolls out with no downtime: a rolling update that surges new pods before taking any old pod away.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["availability", "change-management", "kubernetes"] }),
    validateResource: validateResourceOfType(k8s.apps.v1.Deployment, (deployment, args, reportViolation) => {
        const strategy = deployment.spec?.strategy;
        const type = strategy?.type;
        const rollingUpdate = strategy?.rollingUpdate;
        const problems: string[] = [];
        if (type === undefined || type === null) {
            if (rollingUpdate === undefined || rollingUpdate === null) {
                problems.push("spec.strategy unset (Kubernetes then rolls with maxUnavailable 25%)");
            }
        } else if (type !== "RollingUpdate") {
            problems.push(`spec.strategy.type ${showValue(type)}${type === "Recreate" ? " (every old pod stops before a new one starts)" : ""}`);
        }
        if (problems.length === 0) {
            const { maxUnavailable, maxSurge } = rollingUpdate ?? {};
            if (amountOf(maxUnavailable) !== 0) {
                const note = maxUnavailable === undefined || maxUnavailable === null ? " (Kubernetes defaults it to 25%)" : "";
                problems.push(`spec.strategy.rollingUpdate.maxUnavailable ${showValue(maxUnavailable)}${note}`);
            }
            // Unset, maxSurge defaults to 25% rounded up: at least one extra pod, so it surges.
            const unset = maxSurge === undefined || maxSurge === null;
            const surge = amountOf(maxSurge);
            if (!unset && (surge === undefined || surge <= 0)) problems.push(`spec.strategy.rollingUpdate.maxSurge ${showValue(maxSurge)}`);
        }
        if (problems.length > 0) {
            reportViolation(
                `Deployment "${args.name}": has ${problems.join(" and ")}. ` +
                    'Fix: set spec.strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } (maxSurge may be a percentage such as "25%").',
            );
        }
    }),
};
