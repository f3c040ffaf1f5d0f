import { DockerHostNamespace, TIMESCALE_BACKUP_SERVICE, timescaleBackupEnv } from "../components/dockerHostNamespace";
import { StackConfig } from "./config";
import { sizeToMiB } from "./config/primitives";
import { fromConfig } from "./configSource";

/** The stack's namespace on the shared Docker host, from `dockerHost`, `registry` and `trading`. */
export function declareDockerHost(config: StackConfig): DockerHostNamespace {
    const host = config.dockerHost;
    // The backup job writes to this stack's backups bucket: named once, in data.buckets.
    const backupEnv = (name: string) =>
        name === TIMESCALE_BACKUP_SERVICE
            ? timescaleBackupEnv({ bucket: config.data.buckets.backups.name, namespace: host.namespace, region: config.eks.region })
            : {};
    // Containers and images are named after their service, networks after theirs: traced to that entry.
    return fromConfig(
        "dockerHost",
        new DockerHostNamespace(host.namespace, {
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
                    service
                        ? [[name, { ...service, env: { ...service.env, ...backupEnv(name) }, memoryMiB: sizeToMiB(service.memory) }]]
                        : [],
                ),
            ),
        }),
        { entries: ["services", "networks"] },
    );
}
