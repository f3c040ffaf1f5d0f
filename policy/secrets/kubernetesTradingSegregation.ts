import * as k8s from "@pulumi/kubernetes";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { containersOf, forEachWorkload } from "../lib/kubernetes";
import { SegregationConfig, segregationConfigSchema, segregationProblems } from "../lib/segregation";
import { mapSettings, Setting, vaultAnnotationPrefix, workloadSettings } from "../lib/settings";
import { environmentOf } from "../lib/stacks";
import { withMetadata } from "../lib/metadata";

const vaultSecretAnnotation = `${vaultAnnotationPrefix}agent-inject-secret-`;

/** What segregation rules read of a setting: its name, or where it sits when it has none. */
const asPair = (s: Setting) => ({ name: s.named ? s.name : s.where, value: s.value });

export const kubernetesTradingSegregation: ResourceValidationPolicy = {
    name: "kubernetes-trading-segregation",
    description:
        "Kubernetes workloads and ConfigMaps in staging reference paper/sandbox credentials and endpoints only, and production ones never paper ones.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "critical", topics: ["segregation", "kubernetes"] }),
    configSchema: segregationConfigSchema,
    validateResource: [
        ...forEachWorkload((workload, args, reportViolation) => {
            const config = args.getConfig<SegregationConfig>();
            const environment = environmentOf(args.urn, config);
            if (environment === "other") return;
            const refs = containersOf(workload);
            // Env, args, command and annotations: wherever a value reaches the process. Vault annotations
            // are judged below as the secret paths they name.
            const settings = workloadSettings(workload, args.props)
                .filter(s => !s.name.startsWith(vaultAnnotationPrefix))
                .map(asPair);
            const secretReferences = [
                // Vault agent injection: the paths the agent renders.
                ...Object.entries(workload.podMetadata?.annotations ?? {})
                    .filter(([key]) => key.startsWith(vaultSecretAnnotation))
                    .map(([, path]) => path),
                // Kubernetes secrets referenced by env, envFrom and volumes.
                ...refs.flatMap(ref =>
                    (ref.container.env ?? []).map(e => e?.valueFrom?.secretKeyRef?.name).filter((n): n is string => Boolean(n)),
                ),
                ...refs.flatMap(ref =>
                    ((ref.container as { envFrom?: { secretRef?: { name?: string } }[] }).envFrom ?? [])
                        .map(e => e?.secretRef?.name)
                        .filter((n): n is string => Boolean(n)),
                ),
                ...(workload.podSpec?.volumes ?? []).map(v => v?.secret?.secretName).filter((n): n is string => Boolean(n)),
            ];
            for (const problem of segregationProblems(environment, settings, secretReferences, config)) {
                reportViolation(`${workload.kind} "${args.name}" ${problem}`);
            }
        }),
        // A ConfigMap reaches processes through envFrom, configMapKeyRef and volumes.
        validateResourceOfType(k8s.core.v1.ConfigMap, (configMap, args, reportViolation) => {
            const config = args.getConfig<SegregationConfig>();
            const environment = environmentOf(args.urn, config);
            if (environment === "other") return;
            for (const problem of segregationProblems(
                environment,
                mapSettings(configMap.data, ["data"], "data key", { embedded: true }).map(asPair),
                [],
                config,
            )) {
                reportViolation(`ConfigMap "${args.name}" ${problem}`);
            }
        }),
    ],
};
