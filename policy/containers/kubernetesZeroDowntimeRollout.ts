import { ResourceValidationPolicy } from "@pulumi/policy";
import { forEachWorkload } from "../lib/kubernetes";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

/** An IntOrString rollout bound (`1`, `"1"`, `"25%"`) as a number, or undefined when it is neither. */
function amountOf(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value !== "string") return undefined;
    const match = /^\s*(\d+)\s*%?\s*$/.exec(value);
    return match ? Number(match[1]) : undefined;
}

const unset = (value: unknown) => value === undefined || value === null;

/** What is wrong with rolling bounds: maxUnavailable must be 0, maxSurge positive (unset surges: 25 % rounded up). */
function boundProblems(bounds: { maxUnavailable?: unknown; maxSurge?: unknown } | undefined, at: string, defaulter: string): string[] {
    const problems: string[] = [];
    const { maxUnavailable, maxSurge } = bounds ?? {};
    if (amountOf(maxUnavailable) !== 0) {
        problems.push(
            `${at}.maxUnavailable ${showValue(maxUnavailable)}${unset(maxUnavailable) ? ` (${defaulter} defaults it to 25%)` : ""}`,
        );
    }
    const surge = amountOf(maxSurge);
    if (!unset(maxSurge) && (surge === undefined || surge <= 0)) problems.push(`${at}.maxSurge ${showValue(maxSurge)}`);
    return problems;
}

type Strategy = {
    type?: unknown;
    rollingUpdate?: { maxUnavailable?: unknown; maxSurge?: unknown };
    rollingParams?: { maxUnavailable?: unknown; maxSurge?: unknown };
    blueGreen?: unknown;
    canary?: { maxUnavailable?: unknown; maxSurge?: unknown };
};

/**
 * Why a workload's rollout takes pods away before their replacements are ready, judged by the shape of
 * its `spec.strategy`: a Deployment's (any apiVersion, or any kind with the same shape), an Argo
 * Rollout's (blueGreen, or canary bounds) or an OpenShift DeploymentConfig's (Rolling with rollingParams).
 * Undefined when it rolls with no downtime, or when the object has no rollout strategy to judge.
 */
export function rolloutProblems(kind: string, spec: { strategy?: unknown } | undefined): string[] | undefined {
    const strategy = spec?.strategy as Strategy | undefined;
    if (strategy === undefined || strategy === null) {
        // A Deployment with no strategy rolls with maxUnavailable 25 %; other kinds without one roll their own way.
        return kind === "Deployment" ? ["spec.strategy unset (Kubernetes then rolls with maxUnavailable 25%)"] : undefined;
    }
    if (typeof strategy !== "object") return [`spec.strategy ${showValue(strategy)}`];
    if (strategy.blueGreen !== undefined && strategy.blueGreen !== null) return []; // the old pods serve until the switch
    if (strategy.canary !== undefined && strategy.canary !== null) {
        return boundProblems(strategy.canary, "spec.strategy.canary", "Argo Rollouts");
    }
    const type = strategy.type;
    if (type === "Rolling" || (unset(type) && strategy.rollingParams)) {
        return boundProblems(strategy.rollingParams, "spec.strategy.rollingParams", "OpenShift");
    }
    if (unset(type)) {
        return strategy.rollingUpdate
            ? boundProblems(strategy.rollingUpdate, "spec.strategy.rollingUpdate", "Kubernetes")
            : ["spec.strategy unset (Kubernetes then rolls with maxUnavailable 25%)"];
    }
    if (type !== "RollingUpdate") {
        return [`spec.strategy.type ${showValue(type)}${type === "Recreate" ? " (every old pod stops before a new one starts)" : ""}`];
    }
    return boundProblems(strategy.rollingUpdate, "spec.strategy.rollingUpdate", "Kubernetes");
}

export const kubernetesZeroDowntimeRollout: ResourceValidationPolicy = {
    name: "kubernetes-zero-downtime-rollout",
    description: "A Kubernetes workload rolls out with no downtime: a rolling update that surges new pods before taking any old pod away.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["availability", "change-management", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        // Judged by the shape of spec.strategy (a Deployment of any apiVersion, an Argo Rollout, a
        // DeploymentConfig...); StatefulSets and DaemonSets roll through updateStrategy and are not judged.
        const problems = rolloutProblems(workload.kind, args.props.spec as { strategy?: unknown } | undefined);
        if (!problems || problems.length === 0) return;
        const fix =
            workload.kind === "Rollout"
                ? "use strategy.blueGreen, or strategy.canary with maxUnavailable: 0 and maxSurge: 1"
                : workload.kind === "DeploymentConfig"
                  ? 'set spec.strategy: { type: "Rolling", rollingParams: { maxUnavailable: 0, maxSurge: 1 } }'
                  : 'set spec.strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } (maxSurge may be a percentage such as "25%")';
        reportViolation(`${workload.kind} "${args.name}": has ${problems.join(" and ")}. Fix: ${fix}.`);
    }),
};
