import { ResourceValidationPolicy } from "@pulumi/policy";
import { strings, text } from "../lib/github";
import { withMetadata } from "../lib/metadata";
import { forTypes } from "../lib/validation";

// The AWS Load Balancer Controller's Service annotations and class (its documented interface), and the
// in-tree cloud provider's older annotation: what decides whether a LoadBalancer Service faces the internet.
const SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const TYPE = "service.beta.kubernetes.io/aws-load-balancer-type";
const LEGACY_INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";
const CONTROLLER_CLASS = "service.k8s.aws/nlb";

/** Whether a LoadBalancer Service gets an internet-facing load balancer, as the controller or the in-tree provider reads it. */
export function loadBalancerScheme(spec: Record<string, unknown>, annotations: Record<string, unknown>): "internal" | "internet-facing" {
    const byController = spec.loadBalancerClass === CONTROLLER_CLASS || ["external", "nlb-ip"].includes(text(annotations[TYPE]));
    if (byController) return text(annotations[SCHEME]) === "internet-facing" ? "internet-facing" : "internal"; // the controller's default is internal
    // The in-tree provider makes an internet-facing ELB unless told otherwise.
    const legacy = text(annotations[LEGACY_INTERNAL]).toLowerCase();
    return legacy === "true" || legacy === "0.0.0.0/0" || text(annotations[SCHEME]) === "internal" ? "internal" : "internet-facing";
}

export interface ExposedServicesConfig {
    internetFacingServices: string[];
}

export const kubernetesExposedServices: ResourceValidationPolicy = {
    name: "kubernetes-exposed-services",
    description:
        "No Service opens a port on every node (NodePort), claims external IPs, or gets an internet-facing load balancer outside the declared ALB ingress: a LoadBalancer Service is an internal NLB.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["network-exposure", "kubernetes"] }),
    configSchema: {
        properties: {
            internetFacingServices: {
                type: "array",
                items: { type: "string" },
                default: [],
                description:
                    "LoadBalancer Services (<namespace>/<name>) allowed to face the internet; the platform's HTTP services face it through the ALB Ingress instead.",
            },
        },
    },
    validateResource: forTypes(
        type => type === "kubernetes:core/v1:Service",
        (args, reportViolation) => {
            const spec = (args.props.spec ?? {}) as Record<string, unknown>;
            const metadata = (args.props.metadata ?? {}) as { name?: unknown; namespace?: unknown; annotations?: Record<string, unknown> };
            const who = `Service "${args.name}"`;
            const type = text(spec.type) || "ClusterIP";
            if (type === "NodePort") {
                reportViolation(
                    `${who}: type NodePort opens its ports on every node of the cluster, past the load balancers and their TLS. Fix: use a ClusterIP Service behind the ALB Ingress, or an internal NLB (protocol: fix, nlb).`,
                );
            }
            const externalIPs = strings(spec.externalIPs);
            if (externalIPs.length > 0) {
                reportViolation(
                    `${who}: spec.externalIPs lists ${externalIPs.length} address(es): the nodes accept traffic for them (and a tenant can capture another's traffic, CVE-2020-8554). Fix: remove externalIPs; expose the Service through the load balancer controller.`,
                );
            }
            if (type === "LoadBalancer" && loadBalancerScheme(spec, metadata.annotations ?? {}) === "internet-facing") {
                const { internetFacingServices } = args.getConfig<ExposedServicesConfig>();
                const key = `${text(metadata.namespace)}/${text(metadata.name)}`;
                if (!internetFacingServices.includes(key)) {
                    reportViolation(
                        `${who}: type LoadBalancer gets an internet-facing load balancer, outside the declared ALB Ingress. ` +
                            `Fix: set loadBalancerClass: ${CONTROLLER_CLASS} with ${SCHEME}: internal (the FIX gateway's NLB), serve HTTP through the ALB Ingress, or list "${key}" in internetFacingServices after review.`,
                    );
                }
            }
        },
    ),
};
