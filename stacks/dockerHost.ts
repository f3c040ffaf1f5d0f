import { DockerHostNamespace } from "../components/dockerHostNamespace";
import { StackConfig } from "./config";
import { sizeToMiB } from "./config/primitives";

/** The stack's namespace on the shared Docker host, from `dockerHost`, `registry` and `trading`. */
export function declareDockerHost(config: StackConfig): DockerHostNamespace {
    const host = config.dockerHost;
    return new DockerHostNamespace(host.namespace, {
        host: host.host,
        sshOpts: host.sshOpts,
        namespace: host.namespace,
        environment: config.stack,
        registry: { server: config.registry.server, username: config.registry.username, password: config.secrets.ghcrToken },
        trading: config.trading,
        vaultSecretsDir: host.vaultSecretsDir,
        loki: host.loki,
        networks: host.networks,
        services: Object.fromEntries(
            Object.entries(host.services).flatMap(([name, service]) =>
                service ? [[name, { ...service, memoryMiB: sizeToMiB(service.memory) }]] : [],
            ),
        ),
    });
}
