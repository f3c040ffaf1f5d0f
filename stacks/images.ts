import { GhcrImage } from "../components/ghcrImage";
import { StackConfig } from "./config";
import { EksServiceName } from "./config/images";
import { repositoryBase } from "./config/registry";

/** Staging builds and pushes each service image at the configured commit; production builds nothing. */
export function declareImages(config: StackConfig): Partial<Record<EksServiceName, GhcrImage>> {
    const build = config.images.build;
    if (!build || !config.secrets.ghcrPushToken) return {};
    const base = repositoryBase(config.registry);
    const images: Partial<Record<EksServiceName, GhcrImage>> = {};
    for (const component of build.components) {
        images[component] = new GhcrImage(component, {
            repository: `${base}/${component}`,
            component,
            sourceSha: build.sourceSha,
            release: build.release,
            context: `${build.contextRoot}/${component}`,
            platforms: config.images.platforms,
            registry: { server: config.registry.server, username: config.registry.username, password: config.secrets.ghcrPushToken },
        });
    }
    return images;
}
