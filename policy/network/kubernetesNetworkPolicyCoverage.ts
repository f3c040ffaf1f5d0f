import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { records, strings } from "../lib/github";
import { namespaceOf, workloadOf } from "../lib/kubernetes";
import { withMetadata } from "../lib/metadata";

const NETWORK_POLICY = /^kubernetes:networking\.k8s\.io\/[^:]+:NetworkPolicy$/;

type Selector = { matchLabels?: Record<string, unknown>; matchExpressions?: unknown[] } | undefined;
const selectsAll = (selector: Selector) =>
    selector !== null &&
    typeof selector === "object" &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0;

/**
 * The directions a NetworkPolicy denies by default for every pod of its namespace: it selects every pod
 * (`podSelector: {}`) and, for that direction, lists the type and no rule. policyTypes unset means
 * Ingress, plus Egress when it has egress rules (Kubernetes' own defaulting).
 */
export function defaultDenies(props: Record<string, unknown>): Set<"Ingress" | "Egress"> {
    const spec = (props.spec ?? {}) as { podSelector?: Selector; policyTypes?: unknown; ingress?: unknown; egress?: unknown };
    const denies = new Set<"Ingress" | "Egress">();
    if (!selectsAll(spec.podSelector)) return denies;
    const ingress = records(spec.ingress);
    const egress = records(spec.egress);
    const declared = strings(spec.policyTypes);
    const types = declared.length > 0 ? declared : ["Ingress", ...(egress.length > 0 ? ["Egress"] : [])];
    if (types.includes("Ingress") && ingress.length === 0) denies.add("Ingress");
    if (types.includes("Egress") && egress.length === 0) denies.add("Egress");
    return denies;
}

const providerProps = (r: PolicyResource) => (r.provider?.props ?? undefined) as Record<string, unknown> | undefined;
const ownNamespace = (r: PolicyResource) => {
    const namespace = ((r.props.metadata ?? {}) as { namespace?: unknown }).namespace;
    return typeof namespace === "string" && namespace !== "" ? namespace : undefined;
};

export const kubernetesNetworkPolicyCoverage: StackValidationPolicy = {
    name: "kubernetes-network-policy-coverage",
    description:
        "Every namespace that runs workloads has a default-deny NetworkPolicy for ingress and for egress, so a pod receives and sends only what a policy allows.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["network-exposure", "kubernetes"] }),
    validateStack: (args, reportViolation) => {
        const workloads = new Map<string, PolicyResource[]>();
        const denied = new Map<string, Set<string>>();
        for (const r of args.resources) {
            if (!r.type.startsWith("kubernetes:")) continue;
            if (r.type.endsWith(":NetworkPolicy") && NETWORK_POLICY.test(r.type)) {
                const { namespace } = namespaceOf(ownNamespace(r), providerProps(r));
                const set = denied.get(namespace) ?? new Set<string>();
                for (const direction of defaultDenies(r.props)) set.add(direction);
                denied.set(namespace, set);
                continue;
            }
            if (!workloadOf(r.type, r.props)) continue;
            const { namespace } = namespaceOf(ownNamespace(r), providerProps(r));
            const running = workloads.get(namespace);
            if (running) running.push(r);
            else workloads.set(namespace, [r]);
        }
        for (const [namespace, running] of [...workloads].sort(([a], [b]) => a.localeCompare(b))) {
            const have = denied.get(namespace) ?? new Set<string>();
            const missing = ["Ingress", "Egress"].filter(direction => !have.has(direction));
            if (missing.length === 0) continue;
            const names = running.map(r => r.name);
            reportViolation(
                `Namespace "${namespace}" runs ${running.length} workload(s) (${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}) with no default-deny NetworkPolicy for ${missing.join(" and ")}: ` +
                    `every pod ${missing.length === 2 ? "accepts and opens" : missing[0] === "Ingress" ? "accepts" : "opens"} connections from and to anything in the cluster. ` +
                    'Fix: declare a NetworkPolicy with podSelector: {} and policyTypes: ["Ingress", "Egress"] and no rules in the namespace (the NamespaceNetworkPolicies component does, with the allows each service needs).',
                running[0].urn,
            );
        }
    },
};
