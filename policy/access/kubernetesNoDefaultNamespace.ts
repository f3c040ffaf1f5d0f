import { ResourceValidationPolicy } from "@pulumi/policy";
import { forEachWorkload, namespaceOf } from "../lib/kubernetes";
import { withMetadata } from "../lib/metadata";

export const kubernetesNoDefaultNamespace: ResourceValidationPolicy = {
    name: "kubernetes-no-default-namespace",
    description:
        "No workload runs in the `default` namespace: each runs in a namespace of its own, with its Pod Security level and network policies.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["access-control", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        const { namespace, from } = namespaceOf(workload.namespace, args.provider?.props as Record<string, unknown> | undefined);
        if (namespace !== "default") return;
        const how =
            from === "object"
                ? 'sets metadata.namespace "default"'
                : "sets no metadata.namespace, and its provider none either: it lands in `default` (or whatever namespace it is applied to)";
        reportViolation(
            `${workload.kind} "${args.name}": ${how}, where no Pod Security level and no default-deny network policy apply. ` +
                "Fix: set metadata.namespace to the stack's namespace (the components use the EKS platform's), or give the Kubernetes provider a namespace.",
        );
    }),
};
