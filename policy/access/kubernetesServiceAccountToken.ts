import { ResourceValidationPolicy } from "@pulumi/policy";
import { forEachWorkload } from "../lib/kubernetes";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

export interface ServiceAccountTokenConfig {
    apiClients: string[];
}

export const kubernetesServiceAccountToken: ResourceValidationPolicy = {
    name: "kubernetes-service-account-token",
    description:
        "A pod mounts no service-account token unless it calls the Kubernetes API: its spec sets automountServiceAccountToken: false.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["access-control", "kubernetes"] }),
    configSchema: {
        properties: {
            apiClients: {
                type: "array",
                items: { type: "string" },
                default: [],
                description:
                    "Service accounts (<namespace>/<name>, or <name> in any namespace) whose pods call the Kubernetes API and may mount a token.",
            },
        },
    },
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        const spec = workload.podSpec;
        if (!spec || spec.automountServiceAccountToken === false) return;
        const account = typeof spec.serviceAccountName === "string" && spec.serviceAccountName !== "" ? spec.serviceAccountName : "default";
        const { apiClients } = args.getConfig<ServiceAccountTokenConfig>();
        if (apiClients.includes(account) || (workload.namespace && apiClients.includes(`${workload.namespace}/${account}`))) return;
        reportViolation(
            `${workload.kind} "${args.name}": ${workload.podSpecPath}.automountServiceAccountToken is ${showValue(spec.automountServiceAccountToken)}` +
                `${spec.automountServiceAccountToken === undefined ? " (Kubernetes then mounts the token of its service account" : " (the pod mounts the token of its service account"} "${account}"), ` +
                "which anything running in the pod can use against the API server. " +
                "Fix: set automountServiceAccountToken: false on the pod spec (and on its ServiceAccount); a pod that calls the API lists its service account in the policy's apiClients.",
        );
    }),
};
