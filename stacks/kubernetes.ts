import * as aws from "@pulumi/aws";
import { BlueGreenService } from "../components/blueGreenService";
import { ClusterAddons } from "../components/clusterAddons";
import { EksPlatform } from "../components/eksPlatform";
import { GhcrImage } from "../components/ghcrImage";
import { GhcrPullSecret } from "../components/ghcrPullSecret";
import { tradingModeEnv } from "../platform/trading";
import { StackConfig } from "./config";
import { EksServiceName } from "./config/images";

/** The EKS platform and, through its provider, the stack's trading services. */
export function declareKubernetes(config: StackConfig, images: Partial<Record<EksServiceName, GhcrImage>>) {
    const { eks, deployments } = config;
    const awsProvider = new aws.Provider("aws", {
        region: eks.region as aws.Region,
        defaultTags: { tags: { project: config.project, stack: config.stack, "managed-by": "pulumi" } },
    });
    const platform = new EksPlatform(
        eks.clusterName,
        { ...eks, clusterName: eks.clusterName, tags: { environment: config.stack } },
        { providers: { aws: awsProvider } },
    );
    const inCluster = { provider: platform.provider };

    const { addons } = config;
    const clusterAddons = new ClusterAddons(
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
            tags: { environment: config.stack },
        },
        { providers: { aws: awsProvider, kubernetes: platform.provider } },
    );

    // Pods pull private GHCR packages with the read-only token.
    const pullSecret = new GhcrPullSecret(
        "ghcr-pull",
        { namespace: platform.namespace, server: config.registry.server, username: config.registry.username, token: config.secrets.ghcrToken },
        inCluster,
    );

    const services: Partial<Record<EksServiceName, BlueGreenService>> = {};
    for (const [name, service] of Object.entries(deployments.services) as [EksServiceName, NonNullable<(typeof deployments.services)[EksServiceName]>][]) {
        const built = images[name];
        services[name] = new BlueGreenService(
            name,
            {
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
                          { strategy: "rolling", image: built?.ciReference ?? (service.image as string) },
            },
            // Ingress weights and NLBs need the controller; pods' secrets need the injector's webhook; the PodMonitor, the operator's CRDs.
            { providers: { kubernetes: platform.provider }, dependsOn: [...(built ? [built] : []), clusterAddons.loadBalancerController, clusterAddons.vaultInjector, clusterAddons.prometheus] },
        );
    }
    return { platform, services, awsProvider, addons: clusterAddons };
}
