import * as k8s from "@pulumi/kubernetes";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { withMetadata } from "../lib/metadata";
import { albActionOf } from "../platform";

const HTTP_APP_PROTOCOLS = ["http", "https", "kubernetes.io/h2c", "kubernetes.io/ws", "kubernetes.io/wss"];

interface Meta {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
}
interface Port {
    name?: string;
    port?: number;
    appProtocol?: string;
}
interface Backend {
    service?: { name?: string };
}
interface IngressSpec {
    ingressClassName?: string;
    defaultBackend?: Backend;
    rules?: { http?: { paths?: { backend?: Backend }[] } }[];
}

const metaOf = (r: PolicyResource) => ((r.props as { metadata?: Meta }).metadata ?? {}) as Meta;

/** A port speaks HTTP when it says so (appProtocol) or, saying nothing, is named like it. */
export function isHttpPort(port: Port): boolean {
    if (port.appProtocol) return HTTP_APP_PROTOCOLS.includes(port.appProtocol.toLowerCase());
    return /^(http|https|h2c|grpc)(-|$)/.test(port.name ?? "") || port.name === undefined;
}

/** Services an Ingress sends traffic to: its backends and the targets of its forward actions. */
function backendServices(spec: IngressSpec, annotations: Record<string, string>): string[] {
    const names = new Set<string>();
    const add = (b?: Backend) => b?.service?.name && names.add(b.service.name);
    add(spec.defaultBackend);
    for (const rule of spec.rules ?? []) for (const path of rule.http?.paths ?? []) add(path.backend);
    for (const [annotation, text] of Object.entries(annotations)) {
        const action = albActionOf(annotation);
        if (action === undefined) continue;
        names.delete(action);
        try {
            const forward = JSON.parse(text) as { forwardConfig?: { targetGroups?: { serviceName?: string }[] } };
            for (const t of forward.forwardConfig?.targetGroups ?? []) if (t.serviceName) names.add(t.serviceName);
        } catch {
            // blue-green-traffic-invariants reports an action that is not JSON.
        }
    }
    return [...names];
}

export const albIngressHttpOnly: StackValidationPolicy = {
    name: "alb-ingress-http-only",
    description:
        "Only HTTP services sit behind an ALB Ingress: a Service with a non-HTTP port (such as the FIX gateway's TCP session) is exposed through an NLB instead.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["traffic", "kubernetes"] }),
    validateStack: (args, reportViolation) => {
        const services = args.resources.filter(r => r.isType(k8s.core.v1.Service as never));
        for (const ingress of args.resources.filter(r => r.isType(k8s.networking.v1.Ingress as never))) {
            const meta = metaOf(ingress);
            const spec = ((ingress.props as { spec?: IngressSpec }).spec ?? {}) as IngressSpec;
            const alb = spec.ingressClassName === "alb" || meta.annotations?.["kubernetes.io/ingress.class"] === "alb";
            if (!alb) continue;
            for (const name of backendServices(spec, meta.annotations ?? {})) {
                const service = services.find(s => metaOf(s).name === name && (metaOf(s).namespace ?? "") === (meta.namespace ?? ""));
                const ports = ((service?.props as { spec?: { ports?: Port[] } } | undefined)?.spec?.ports ?? []) as Port[];
                const other = ports.filter(p => !isHttpPort(p));
                if (other.length > 0) {
                    reportViolation(
                        `Ingress ${meta.namespace}/${meta.name} puts the ALB in front of Service "${name}", whose port(s) ${other.map(p => `${p.name ?? p.port} (${p.appProtocol ?? "no appProtocol"})`).join(", ")} are not HTTP. ` +
                            "An ALB speaks HTTP and would cut long-lived TCP sessions. Fix: drop the ingress and expose the service with an internal NLB (deployments.services.<name>.protocol: fix with nlb).",
                        ingress.urn,
                    );
                }
            }
        }
    },
};
