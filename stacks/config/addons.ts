import { z } from "zod";
import { DEFAULT_STORAGE_CLASS } from "../../components/eksPlatform";
import { ConfigProblem } from "./errors";
import { EnvironmentName } from "../../platform";
import { httpsUrl } from "./primitives";

/** An exact chart version: a range would let an update install a chart nobody reviewed. */
const chartVersion = z
    .string({ error: 'an exact chart version as a quoted string, e.g. "3.5.0"' })
    .regex(/^\d+\.\d+\.\d+$/, { error: 'an exact chart version as a quoted string, e.g. "3.5.0"' });

const storageQuantity = z.string().regex(/^[1-9][0-9]*(Mi|Gi|Ti)$/, { error: 'a storage size such as "50Gi"' });

export const addonsSchema = z.strictObject({
    loadBalancerController: z.strictObject({ chartVersion }),
    vaultInjector: z.strictObject({
        chartVersion,
        /** The Vault the injector's agents talk to; it runs outside the cluster. */
        externalVaultAddr: httpsUrl,
        /** Vault's Kubernetes auth mount for this cluster. */
        authPath: z
            .string()
            .regex(/^auth\/[a-z0-9][a-z0-9/_-]*$/, { error: "a Vault auth mount such as auth/kubernetes-trading-staging" })
            .default("auth/kubernetes"),
    }),
    prometheus: z.strictObject({
        chartVersion,
        /** How long samples are kept, e.g. "15d". */
        retention: z.string().regex(/^[1-9][0-9]*(h|d|w|y)$/, { error: 'a Prometheus duration such as "15d"' }),
        /** Size cap on the TSDB, e.g. "45GB"; unset: time-based retention only. */
        retentionSize: z
            .string()
            .regex(/^[1-9][0-9]*(MB|GB|TB)$/, { error: 'a size such as "45GB"' })
            .optional(),
        storageSize: storageQuantity,
        storageClass: z.string().min(1).default("gp3"),
    }),
    /** Fluent Bit, pointed at dockerHost.loki.url: one Loki for the host and the cluster. */
    logShipping: z.strictObject({ chartVersion }),
});
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
