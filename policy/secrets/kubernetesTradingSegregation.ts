import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, forEachWorkload } from "../lib/kubernetes";
import { SegregationConfig, segregationConfigSchema, segregationProblems } from "../lib/segregation";
import { environmentOf } from "../lib/stacks";

const vaultSecretAnnotation = "vault.hashicorp.com/agent-inject-secret-";

export const kubernetesTradingSegregation: ResourceValidationPolicy = {
    name: "kubernetes-trading-segregation",
    description: "Kubernetes workloads in staging reference paper/sandbox credentials and endpoints only, and production ones never paper ones.",
    enforcementLevel: "mandatory",
    configSchema: segregationConfigSchema,
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        const config = args.getConfig<SegregationConfig>();
        const environment = environmentOf(args.urn, config);
        if (environment === "other") return;
        const refs = containersOf(workload);
        const settings = refs.flatMap(ref =>
            (ref.container.env ?? []).filter(e => e?.name && typeof e.value === "string").map(e => ({ name: e.name as string, value: e.value as string })),
        );
        const secretReferences = [
            // Vault agent injection: the paths the agent renders.
            ...Object.entries(workload.podMetadata?.annotations ?? {})
                .filter(([key]) => key.startsWith(vaultSecretAnnotation))
                .map(([, path]) => path),
            // Kubernetes secrets referenced by env and volumes.
            ...refs.flatMap(ref => (ref.container.env ?? []).map(e => e?.valueFrom?.secretKeyRef?.name).filter((n): n is string => Boolean(n))),
            ...(workload.podSpec?.volumes ?? []).map(v => v?.secret?.secretName).filter((n): n is string => Boolean(n)),
        ];
        for (const problem of segregationProblems(environment, settings, secretReferences, config)) {
            reportViolation(`${workload.kind} "${args.name}" ${problem}`);
        }
    }),
};
