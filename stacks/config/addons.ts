import { z } from "zod";
import { DEFAULT_STORAGE_CLASS } from "../../components/eksPlatform";
import { ConfigProblem } from "./errors";
import { EnvironmentName } from "../../platform";
import { httpsUrl } from "./primitives";

/** An exact chart version: a range would let an update install a chart nobody reviewed. */
const chartVersion = z
    .string({ error: 'an exact chart version as a quoted string, e.g. "3.5.0"' })
    .regex(/^\d+\.\d+\.\d+$/, { error: 'an exact chart version as a quoted string, e.g. "3.5.0"' })
    .meta({ title: 'exact version (`"3.5.0"`)' });

const storageQuantity = z
    .string()
    .regex(/^[1-9][0-9]*(Mi|Gi|Ti)$/, { error: 'a storage size such as "50Gi"' })
    .meta({ title: "quantity (`50Gi`)" });

export const addonsSchema = z
    .strictObject({
        loadBalancerController: z.strictObject({
            chartVersion: chartVersion.describe(
                "`aws-load-balancer-controller` chart (eks-charts) in `kube-system`, with a service-account role holding the IAM policy AWS publishes (kept in `components/clusterAddons/awsLoadBalancerControllerIamPolicy.json`, from the controller's v3.5.0). Update the policy file with the chart.",
            ),
        }),
        vaultInjector: z.strictObject({
            chartVersion: chartVersion.describe("`vault` chart (HashiCorp) in `vault`, injector only (`server.enabled: false`)."),
            externalVaultAddr: httpsUrl.describe(
                "The Vault the injected agents authenticate to, outside the cluster; its port is the one the namespace's NetworkPolicies let the services reach Vault on.",
            ),
            authPath: z
                .string()
                .regex(/^auth\/[a-z0-9][a-z0-9/_-]*$/, { error: "a Vault auth mount such as auth/kubernetes-trading-staging" })
                .default("auth/kubernetes")
                .meta({ title: "`auth/<mount>`", description: "Vault's Kubernetes auth mount for this cluster." }),
        }),
        prometheus: z.strictObject({
            chartVersion: chartVersion.describe(
                "`kube-prometheus-stack` in `monitoring`: Prometheus, kube-state-metrics, node exporter, the kubelet and cAdvisor scrapes; no Grafana or Alertmanager. In-cluster address `http://prometheus-operated.monitoring:9090` (stack output `prometheusUrl`).",
            ),
            retention: z
                .string()
                .regex(/^[1-9][0-9]*(h|d|w|y)$/, { error: 'a Prometheus duration such as "15d"' })
                .meta({ title: "duration (`15d`)", description: "How long samples are kept." }),
            retentionSize: z
                .string()
                .regex(/^[1-9][0-9]*(MB|GB|TB)$/, { error: 'a size such as "45GB"' })
                .optional()
                .meta({
                    title: "size (`45GB`)",
                    description: "Cap on the TSDB; must stay below `storageSize`. Unset: time-based retention only.",
                }),
            storageSize: storageQuantity.describe("Size of Prometheus's persistent volume."),
            storageClass: z
                .string()
                .min(1)
                .default("gp3")
                .describe(
                    "Storage class of that volume; must be `gp3`, the default StorageClass the cluster declares (encrypted gp3 through the EBS CSI driver add-on, `WaitForFirstConsumer`; `components/eksPlatform/storage.ts`), which the release waits for.",
                ),
        }),
        logShipping: z.strictObject({
            chartVersion: chartVersion.describe(
                "`fluent-bit` chart in `logging`: tails every container log and pushes it to `dockerHost.loki.url` (one Loki for the host and the cluster) with the pod's namespace, pod and container as labels.",
            ),
        }),
    })
    .describe("The cluster add-ons the workloads rely on, as Helm releases through the stack's Kubernetes provider.");
export type AddonsConfig = z.infer<typeof addonsSchema>;

/** Gi of a "<n>Gi"-style quantity, for comparing sizes. */
function gibibytes(quantity: string): number {
    const n = Number(quantity.slice(0, -2));
    return quantity.endsWith("Mi") ? n / 1024 : quantity.endsWith("Ti") ? n * 1024 : n;
}

export function addonsRules(key: string, _environment: EnvironmentName, addons: AddonsConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const { retentionSize, storageSize, storageClass } = addons.prometheus;
    if (storageClass !== DEFAULT_STORAGE_CLASS) {
        problems.push({
            key: `${key}.prometheus.storageClass`,
            expected: `"${DEFAULT_STORAGE_CLASS}", the StorageClass the cluster declares (a claim for a class nobody declares stays Pending while Helm reports success)`,
            found: JSON.stringify(storageClass),
        });
    }
    if (retentionSize) {
        const capGiB =
            Number(retentionSize.slice(0, -2)) * (retentionSize.endsWith("MB") ? 1 / 1024 : retentionSize.endsWith("TB") ? 1024 : 1);
        if (capGiB >= gibibytes(storageSize)) {
            problems.push({
                key: `${key}.prometheus.retentionSize`,
                expected: `less than storageSize (${storageSize}), or Prometheus fills its volume before it deletes anything`,
                found: JSON.stringify(retentionSize),
            });
        }
    }
    return problems;
}
