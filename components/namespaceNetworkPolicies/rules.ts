// What each trading service may receive and send, derived from what declares it (its port, its load
// balancer, its Vault secrets, its broker endpoint) and from the cluster's own facts (subnets, DNS,
// Prometheus, Vault, the data services' ports): no second, hand-kept list. Pure: the component turns
// the result into NetworkPolicies, and tests read it directly.

import { BROKER_ENDPOINT } from "../../platform/trading";
import { dataPorts } from "../../platform/data";
import type { BlueGreenServiceArgs } from "../blueGreenService";
import { hasVersionToTest, serviceSelector, smokePodSelector } from "../blueGreenService";

export type Protocol = "TCP" | "UDP";
export interface PortRef {
    port: number;
    protocol: Protocol;
}

/**
 * Where traffic may come from or go to: IP blocks (outside the cluster's pods), pods of another namespace
 * by its name and their labels, or pods of this namespace by their labels.
 */
export type Peer =
    | { cidrs: readonly string[]; except?: readonly string[] }
    | { namespace: string; podLabels: Readonly<Record<string, string>> }
    | { podLabels: Readonly<Record<string, string>> };

/** One allowed flow and why it exists, in words a reviewer checks against the declaration. */
export interface Allow {
    peer: Peer;
    ports: PortRef[];
    reason: string;
}

export interface ServiceTraffic {
    service: string;
    podLabels: Record<string, string>;
    ingress: Allow[];
    egress: Allow[];
}

/** What the network policies read of a service's declaration: the same object BlueGreenService is given. */
export type ServiceDeclaration = Pick<BlueGreenServiceArgs, "service" | "port" | "ingress" | "nlb" | "env" | "vault" | "smoke" | "rollout">;

/** The service declares a smoke test and has a version for it to test (BlueGreenService then declares its Job). */
const smokeTested = (service: ServiceDeclaration) => service.smoke !== undefined && hasVersionToTest(service.rollout);

/** The cluster's side: where load balancers, data services, DNS, the metrics scraper and Vault are. */
export interface ClusterNetwork {
    /** Subnets internet-facing load balancers (the ALB) run in: their nodes are the sources of the traffic they forward. */
    publicSubnetCidrs: readonly string[];
    /** Subnets internal load balancers (the FIX NLB) and the data services run in. */
    privateSubnetCidrs: readonly string[];
    dns: { namespace: string; podLabels: Readonly<Record<string, string>>; port: number };
    metricsScraper: { namespace: string; podLabels: Readonly<Record<string, string>> };
    /** The external Vault the agents log in to (addons.vaultInjector.externalVaultAddr). */
    vaultAddress: string;
    /** Where Vault's address resolves; NetworkPolicy names blocks, not hosts, so by default any, on Vault's port only. */
    vaultCidrs?: readonly string[];
}

/** Every address outside the private ranges: the public internet, where the brokers are. */
export const PUBLIC_INTERNET: Peer = {
    cidrs: ["0.0.0.0/0"],
    except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"],
};

/** The TCP port a URL is reached on: its own, or its scheme's. */
export function urlPort(url: string): number {
    const parsed = new URL(url);
    if (parsed.port) return Number(parsed.port);
    return parsed.protocol === "https:" ? 443 : parsed.protocol === "http:" ? 80 : NaN;
}

const tcp = (port: number): PortRef => ({ port, protocol: "TCP" });

/** The flows one service needs, each with its reason. */
export function serviceTraffic(service: ServiceDeclaration, cluster: ClusterNetwork): ServiceTraffic {
    const ingress: Allow[] = [];
    const egress: Allow[] = [];
    if (service.ingress) {
        const subnets = service.ingress.scheme === "internet-facing" ? cluster.publicSubnetCidrs : cluster.privateSubnetCidrs;
        ingress.push({
            peer: { cidrs: subnets },
            ports: [tcp(service.port)],
            reason: `the ${service.ingress.scheme} ALB's targets (IP mode) and health checks`,
        });
    }
    if (service.nlb) {
        ingress.push({
            peer: { cidrs: cluster.privateSubnetCidrs },
            ports: [tcp(service.nlb.port)],
            reason: "the internal NLB's FIX sessions and TCP health checks (IP targets)",
        });
    }
    // The PodMonitor scrapes every service on its http port (components/blueGreenService/metrics.ts).
    ingress.push({ peer: cluster.metricsScraper, ports: [tcp(service.port)], reason: "Prometheus scraping the service's metrics" });
    // The smoke test's Job calls the version under test on its http port (components/blueGreenService/smoke.ts).
    if (smokeTested(service)) {
        ingress.push({
            peer: { podLabels: smokePodSelector(service.service) },
            ports: [tcp(service.port)],
            reason: "the service's smoke test checking the new version",
        });
    }

    if (Object.keys(service.vault.secrets).length > 0) {
        egress.push({
            peer: { cidrs: cluster.vaultCidrs ?? ["0.0.0.0/0"] },
            ports: [tcp(urlPort(cluster.vaultAddress))],
            reason: "the Vault agent logging in and rendering the service's secrets",
        });
    }
    egress.push({
        peer: { cidrs: cluster.privateSubnetCidrs },
        ports: Object.values(dataPorts).map(tcp),
        reason: `the data services (${Object.keys(dataPorts).join(", ")}) in the private subnets`,
    });
    const broker = service.env[BROKER_ENDPOINT];
    if (broker) {
        egress.push({
            peer: PUBLIC_INTERNET,
            ports: [tcp(urlPort(broker))],
            reason: `the broker the service trades with (${BROKER_ENDPOINT})`,
        });
    }
    return { service: service.service, podLabels: serviceSelector(service.service), ingress, egress };
}

/** The flows a service's smoke-test pods need: the service's pods on its http port, and nothing else (DNS is every pod's). */
export function smokeTraffic(service: ServiceDeclaration): ServiceTraffic | undefined {
    if (!smokeTested(service)) return undefined;
    return {
        service: `${service.service}-smoke`,
        podLabels: smokePodSelector(service.service),
        ingress: [],
        egress: [
            {
                peer: { podLabels: serviceSelector(service.service) },
                ports: [tcp(service.port)],
                reason: `the ${service.service} version under test`,
            },
        ],
    };
}

/** A NetworkPolicy peer as the API writes it. */
function peerSpec(peer: Peer) {
    if ("cidrs" in peer) {
        return peer.cidrs.map(cidr => ({
            ipBlock: { cidr, ...(peer.except && cidr === "0.0.0.0/0" ? { except: [...peer.except] } : {}) },
        }));
    }
    // A pod selector alone selects pods of the policy's own namespace.
    if (!("namespace" in peer)) return [{ podSelector: { matchLabels: { ...peer.podLabels } } }];
    return [
        {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.namespace } },
            podSelector: { matchLabels: { ...peer.podLabels } },
        },
    ];
}
const rule = (allow: Allow, direction: "from" | "to") => ({
    [direction]: peerSpec(allow.peer),
    ports: allow.ports.map(p => ({ port: p.port, protocol: p.protocol })),
});

export interface NetworkPolicySpec {
    name: string;
    /** Why the policy exists: becomes its description annotation. */
    description: string;
    spec: {
        podSelector: { matchLabels?: Record<string, string> };
        policyTypes: ("Ingress" | "Egress")[];
        ingress?: ReturnType<typeof rule>[];
        egress?: ReturnType<typeof rule>[];
    };
}

/**
 * The namespace's NetworkPolicies: a default deny of both directions for every pod, DNS for every pod,
 * then one policy per service allowing exactly its flows. Allows add up, so each is read alone.
 */
export function networkPolicySpecs(services: readonly ServiceDeclaration[], cluster: ClusterNetwork): NetworkPolicySpec[] {
    const dns = { namespace: cluster.dns.namespace, podLabels: cluster.dns.podLabels };
    return [
        {
            name: "default-deny",
            description: "Every pod of the namespace receives and sends nothing no other policy allows.",
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        },
        {
            name: "allow-dns",
            description: "Every pod resolves names through the cluster's DNS.",
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    rule({ peer: dns, ports: [{ port: cluster.dns.port, protocol: "UDP" }, tcp(cluster.dns.port)], reason: "DNS" }, "to"),
                ],
            },
        },
        ...services
            .flatMap(service => [serviceTraffic(service, cluster), smokeTraffic(service)].filter(t => t !== undefined))
            .map(traffic => {
                return {
                    name: `allow-${traffic.service}`,
                    description: [...traffic.ingress.map(a => `in: ${a.reason}`), ...traffic.egress.map(a => `out: ${a.reason}`)].join(
                        "; ",
                    ),
                    spec: {
                        podSelector: { matchLabels: traffic.podLabels },
                        policyTypes: ["Ingress", "Egress"] as ("Ingress" | "Egress")[],
                        ingress: traffic.ingress.map(a => rule(a, "from")),
                        egress: traffic.egress.map(a => rule(a, "to")),
                    },
                };
            }),
    ];
}
