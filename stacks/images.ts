import * as pulumi from "@pulumi/pulumi";
import { GhcrImage } from "../components/ghcrImage";
import { StackConfig } from "./config";
import { EksServiceName } from "./config/images";
import { repositoryBase } from "./config/registry";
import { fromConfig } from "./configSource";

/** Staging builds and pushes each service image at the configured commit; production builds nothing. */
export function declareImages(config: StackConfig): Partial<Record<EksServiceName, GhcrImage>> {
    const build = config.images.build;
    if (!build || !config.secrets.ghcrPushToken) return {};
    const base = repositoryBase(config.registry);
    const images: Partial<Record<EksServiceName, GhcrImage>> = {};
    for (const component of build.components) {
        images[component] = fromConfig(
            "images.build",
            new GhcrImage(component, {
                repository: `${base}/${component}`,
                component,
                sourceSha: build.sourceSha,
                release: build.release,
                context: `${build.contextRoot}/${component}`,
                platforms: config.images.platforms,
                registry: { server: config.registry.server, username: config.registry.username, password: config.secrets.ghcrPushToken },
            }),
        );
    }
    return images;
}

/**
 * Every image reference the stack runs, sorted: the Docker host's containers, and on EKS each colour's
 * image, or for a service this stack builds the digest it pushed (its pods run the CI tag of that
 * push). The promotion gate compares production's list with staging's.
 */
export function deployedImageReferences(config: StackConfig, images: Partial<Record<EksServiceName, GhcrImage>>): pulumi.Output<string[]> {
    const references: pulumi.Input<string>[] = Object.values(config.dockerHost.services).map(service => service.image);
    for (const [name, service] of Object.entries(config.deployments.services) as [
        EksServiceName,
        NonNullable<(typeof config.deployments.services)[EksServiceName]>,
    ][]) {
        const built = images[name];
        if (built) references.push(built.pinnedReference);
        else if (service.image) references.push(service.image);
        for (const image of Object.values(service.blueGreen?.images ?? {})) if (image) references.push(image);
        if (service.smoke) references.push(service.smoke.image);
    }
    return pulumi.all(references).apply(all => [...new Set(all)].sort());
}
