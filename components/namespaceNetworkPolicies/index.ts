import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterNetwork, networkPolicySpecs, ServiceDeclaration } from "./rules";

export * from "./rules";

export interface NamespaceNetworkPoliciesArgs {
    namespace: pulumi.Input<string>;
    /** The services of the namespace, as declared (the same arguments each BlueGreenService gets). */
    services: readonly ServiceDeclaration[];
    cluster: ClusterNetwork;
}

/**
 * Zero trust for one namespace: a default-deny NetworkPolicy (ingress and egress) for every pod, DNS
 * for every pod, and per service a policy allowing exactly the flows its declaration implies
 * (`serviceTraffic`). Enforced by the VPC CNI's network policy agent (EksPlatform turns it on).
 */
export class NamespaceNetworkPolicies extends pulumi.ComponentResource {
    readonly policyNames: string[];

    constructor(name: string, args: NamespaceNetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:k8s:NamespaceNetworkPolicies", name, {}, opts);
        const specs = networkPolicySpecs(args.services, args.cluster);
        for (const policy of specs) {
            new k8s.networking.v1.NetworkPolicy(
                `${name}-${policy.name}`,
                {
                    metadata: {
                        name: policy.name,
                        namespace: args.namespace,
                        labels: { "app.kubernetes.io/part-of": "trading-platform" },
                        annotations: { "trading-platform/allows": policy.description },
                    },
                    spec: policy.spec,
                },
                { parent: this },
            );
        }
        this.policyNames = specs.map(p => p.name);
        this.registerOutputs({ policyNames: this.policyNames });
    }
}
