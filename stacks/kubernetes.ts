import * as aws from "@pulumi/aws";
import { BlueGreenService, BlueGreenServiceArgs } from "../components/blueGreenService";
import { ClusterAddons, PROMETHEUS_PODS } from "../components/clusterAddons";
import { CLUSTER_DNS, EksPlatform } from "../components/eksPlatform";
import { GhcrImage } from "../components/ghcrImage";
import { GhcrPullSecret } from "../components/ghcrPullSecret";
import { NamespaceNetworkPolicies } from "../components/namespaceNetworkPolicies";
import { zoneSubnets } from "../platform/cidr";
import { tradingModeEnv } from "../platform/trading";
import { StackConfig } from "./config";
import { ciRoleArns } from "./config/ci";
import { EksServiceName } from "./config/images";
import { fromConfig } from "./configSource";

/** The EKS platform and, through its provider, the stack's trading services. */
export function declareKubernetes(config: StackConfig, images: Partial<Record<EksServiceName, GhcrImage>>) {
    const { eks, deployments } = config;
    const awsProvider = fromConfig(
        "eks.region",
        new aws.Provider("aws", {
            region: eks.region as aws.Region,
            defaultTags: { tags: { project: config.project, stack: config.stack, "managed-by": "pulumi" } },
        }),
    );
    // The drift check refreshes, and a pull request previews, with read access to the cluster.
    const ci = ciRoleArns(config.project, config.stack, config.ci);
    const platform = fromConfig(
        "eks",
        new EksPlatform(
            eks.clusterName,
            {
                ...eks,
                clusterName: eks.clusterName,
                viewerRoleArns: [ci.drift, ...(ci.preview ? [ci.preview] : [])],
                tags: { environment: config.stack },
            },
            { providers: { aws: awsProvider } },
        ),
    );
    const inCluster = { provider: platform.provider };

    const { addons } = config;
    const clusterAddons = fromConfig(
        "addons",
        new ClusterAddons(
            "addons",
            {
                clusterName: platform.clusterName,
                clusterLabel: eks.clusterName,
                region: eks.region,
                vpcId: platform.vpcId,
                oidcProviderArn: platform.oidcProviderArn,
                oidcIssuerUrl: platform.oidcIssuerUrl,
                environment: config.stack,
                chartVersions: {
                    loadBalancerController: addons.loadBalancerController.chartVersion,
                    vaultInjector: addons.vaultInjector.chartVersion,
                    prometheus: addons.prometheus.chartVersion,
                    logShipping: addons.logShipping.chartVersion,
                },
                vault: addons.vaultInjector,
                prometheus: addons.prometheus,
                lokiPushUrl: config.dockerHost.loki.url,
                storage: platform.storage,
                tags: { environment: config.stack },
            },
            { providers: { aws: awsProvider, kubernetes: platform.provider } },
        ),
    );

    // Pods pull private GHCR packages with the read-only token.
    const pullSecret = fromConfig(
        "registry",
        new GhcrPullSecret(
            "ghcr-pull",
            {
                namespace: platform.namespace,
                server: config.registry.server,
                username: config.registry.username,
                token: config.secrets.ghcrToken,
            },
            inCluster,
        ),
    );

    // Each service's declaration, read both by its BlueGreenService and by the namespace's network policies.
    const declarations = (
        Object.entries(deployments.services) as [EksServiceName, NonNullable<(typeof deployments.services)[EksServiceName]>][]
    ).map(([name, service]): BlueGreenServiceArgs => ({
        service: name,
        namespace: platform.namespace,
        environment: config.stack,
        port: service.port,
        replicas: service.replicas,
        minReady: service.minReady,
        resources: service.resources,
        probes: service.probes,
        env: { ...service.env, ...tradingModeEnv(config.trading) },
        vault: { role: `${eks.namespace}-${name}`, secrets: service.vaultSecrets },
        imagePullSecret: pullSecret.secretName,
        ingress: service.ingress && { ...service.ingress, ...deployments.ingress },
        nlb: service.nlb,
        scrapeInterval: deployments.scrapeInterval,
        // The checks compare what the service reports with the stack's trading flags.
        smoke: service.smoke && { ...service.smoke, env: tradingModeEnv(config.trading) },
        rollout:
            service.strategy === "blueGreen" && service.blueGreen
                ? { strategy: "blueGreen", state: service.blueGreen }
                : // Config validation guarantees one of the two for a rolling service.
                  { strategy: "rolling", image: images[name]?.ciReference ?? (service.image as string) },
    }));

    // Zero trust in the namespace, in place before any pod of the services starts.
    const subnets = zoneSubnets(eks.vpcCidr, eks.availabilityZones.length);
    // Each service's allow policy (allow-<service>) traces to its own entry under deployments.services.
    const networkPolicies = fromConfig(
        "deployments",
        new NamespaceNetworkPolicies(
            "trading-network",
            {
                namespace: platform.namespace,
                services: declarations,
                cluster: {
                    publicSubnetCidrs: subnets.public,
                    privateSubnetCidrs: subnets.private,
                    dns: CLUSTER_DNS,
                    metricsScraper: PROMETHEUS_PODS,
                    vaultAddress: addons.vaultInjector.externalVaultAddr,
                },
            },
            { providers: { kubernetes: platform.provider } },
        ),
        { entries: ["services"] },
    );

    const services: Partial<Record<EksServiceName, BlueGreenService>> = {};
    for (const args of declarations) {
        const name = args.service as EksServiceName;
        const built = images[name];
        services[name] = fromConfig(
            `deployments.services.${name}`,
            new BlueGreenService(
                name,
                args,
                // Ingress weights and NLBs need the controller; pods' secrets need the injector's webhook; the PodMonitor, the operator's CRDs.
                {
                    providers: { kubernetes: platform.provider },
                    dependsOn: [
                        ...(built ? [built] : []),
                        clusterAddons.loadBalancerController,
                        clusterAddons.vaultInjector,
                        clusterAddons.prometheus,
                        networkPolicies,
                    ],
                },
            ),
        );
    }
    return { platform, services, awsProvider, addons: clusterAddons };
}
