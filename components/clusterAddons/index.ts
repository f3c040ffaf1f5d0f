import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import loadBalancerControllerPolicy from "./awsLoadBalancerControllerIamPolicy.json";
import {
    addonCharts,
    AddonName,
    LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
    loadBalancerControllerValues,
    logShippingValues,
    PrometheusSettings,
    prometheusValues,
    serviceAccountTrustPolicy,
    vaultInjectorValues,
} from "./charts";

export * from "./charts";

export interface ClusterAddonsArgs {
    clusterName: pulumi.Input<string>;
    /** Plain cluster name, for labels. */
    clusterLabel: string;
    region: string;
    vpcId: pulumi.Input<string>;
    oidcProviderArn: pulumi.Input<string>;
    oidcIssuerUrl: pulumi.Input<string>;
    environment: string;
    /** Pinned chart version by add-on. */
    chartVersions: Record<AddonName, string>;
    vault: { externalVaultAddr: string; authPath: string };
    prometheus: PrometheusSettings;
    /** Loki push endpoint pod logs go to. */
    lokiPushUrl: string;
    /** What Prometheus' volume needs first: the EBS CSI driver and the default StorageClass (EksPlatform.storage). */
    storage?: pulumi.Resource[];
    tags: Record<string, string>;
}

/**
 * What the stack's workloads rely on in the cluster, as pinned Helm releases through the stack's
 * Kubernetes provider: the AWS Load Balancer Controller (with its service-account role), the Vault
 * agent injector, Prometheus with kube-state-metrics, and Fluent Bit shipping pod logs to Loki.
 */
export class ClusterAddons extends pulumi.ComponentResource {
    readonly loadBalancerController: k8s.helm.v3.Release;
    readonly vaultInjector: k8s.helm.v3.Release;
    readonly prometheus: k8s.helm.v3.Release;
    readonly logShipping: k8s.helm.v3.Release;
    readonly loadBalancerControllerRoleArn: pulumi.Output<string>;

    constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:k8s:ClusterAddons", name, {}, opts);
        const parent = { parent: this };
        const release = (addon: AddonName, values: pulumi.Input<Record<string, unknown>>, extra: pulumi.CustomResourceOptions = {}) => {
            const chart = addonCharts[addon];
            return new k8s.helm.v3.Release(
                `${name}-${chart.chart}`,
                {
                    name: chart.chart,
                    chart: chart.chart,
                    version: args.chartVersions[addon],
                    repositoryOpts: { repo: chart.repo },
                    namespace: chart.namespace,
                    createNamespace: chart.namespace !== "kube-system",
                    // A failed install rolls back instead of leaving half a release.
                    atomic: true,
                    timeout: 600,
                    values,
                },
                { parent: this, ...extra },
            );
        };

        const lbRole = new aws.iam.Role(
            `${name}-lb-controller`,
            {
                assumeRolePolicy: pulumi
                    .all([args.oidcProviderArn, args.oidcIssuerUrl])
                    .apply(([arn, issuer]) =>
                        serviceAccountTrustPolicy(
                            arn,
                            issuer,
                            addonCharts.loadBalancerController.namespace,
                            LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
                        ),
                    ),
                tags: args.tags,
            },
            parent,
        );
        const lbPolicy = new aws.iam.Policy(
            `${name}-lb-controller`,
            {
                description: "AWS Load Balancer Controller (policy published by AWS)",
                policy: JSON.stringify(loadBalancerControllerPolicy),
                tags: args.tags,
            },
            parent,
        );
        const lbAttachment = new aws.iam.RolePolicyAttachment(
            `${name}-lb-controller`,
            { role: lbRole.name, policyArn: lbPolicy.arn },
            parent,
        );

        this.loadBalancerController = release(
            "loadBalancerController",
            // Computed leaves stay Outputs, so a preview shows every known value.
            loadBalancerControllerValues<pulumi.Input<string>>({
                clusterName: args.clusterName,
                region: args.region,
                vpcId: args.vpcId,
                roleArn: lbRole.arn,
            }),
            { dependsOn: [lbAttachment] },
        );
        this.vaultInjector = release("vaultInjector", vaultInjectorValues(args.vault));
        // Without a CSI driver and a class for its claim, the volume stays Pending while Helm reports success.
        this.prometheus = release("prometheus", prometheusValues(args.prometheus, args.clusterLabel), { dependsOn: args.storage ?? [] });
        this.logShipping = release(
            "logShipping",
            logShippingValues(args.lokiPushUrl, { cluster: args.clusterLabel, environment: args.environment }),
        );

        this.loadBalancerControllerRoleArn = lbRole.arn;
        this.registerOutputs({ loadBalancerControllerRoleArn: this.loadBalancerControllerRoleArn });
    }
}
