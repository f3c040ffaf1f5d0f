import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { withAliases } from "../lib/aliases";
import { TradingMode, tradingModeEnv, tradingModeLabel } from "../../platform/trading";

export * from "./timescaleBackup";

/** Where the Vault agent's files appear inside every container. */
export const secretsMountPath = "/run/secrets";

export interface DockerServiceSpec {
    /** Image pinned by digest (`ghcr.io/...@sha256:...`). */
    image: string;
    /** Release label for the digest (`v1.4.0` or `<component>-<sha>`). */
    version: string;
    memoryMiB: number;
    cpus: number;
    /** Numeric, non-root `uid:gid`. */
    user: string;
    /** Keys of `DockerHostNamespaceArgs.networks`. */
    networks: string[];
    ports: { internal: number; external: number; hostIp: string }[];
    healthcheck: { test: string[]; interval: string; timeout: string; retries: number; startPeriod: string };
    restart: "unless-stopped" | "on-failure" | "always";
    /** Plain settings only; credentials arrive as files listed in `secrets`. */
    env: Record<string, string>;
    /** File names the Vault agent renders in `<vaultSecretsDir>/<service>/`. */
    secrets: string[];
    /** tmpfs mount point to mount options: scratch space on a read-only root. */
    tmpfs: Record<string, string>;
    command?: string[];
}

export interface DockerHostNamespaceArgs {
    /** Docker daemon of the shared host, `ssh://user@host`. */
    host: string;
    sshOpts?: string[];
    /** Namespace name; prefixes networks and containers (e.g. `synaptic-staging`). */
    namespace: string;
    /** Stack / environment name, recorded in labels and log streams. */
    environment: string;
    /** Registry the host pulls from; the password stays a Pulumi secret. */
    registry: { server: string; username: string; password: pulumi.Input<string> };
    trading: { mode: TradingMode; brokerEndpoint: string };
    /** Host directory the Vault agent renders this namespace's secrets into. */
    vaultSecretsDir: string;
    loki: { url: string; batchSize: number; retries: number };
    networks: Record<string, { internal: boolean; subnet?: string }>;
    services: Record<string, DockerServiceSpec>;
}

/**
 * One stack's namespace on the shared Docker host: its networks and hardened, read-only containers,
 * pulled by digest, fed secrets as Vault-rendered files and logging to Loki.
 */
export class DockerHostNamespace extends pulumi.ComponentResource {
    /** The SSH-connected provider every resource of the namespace goes through. */
    readonly provider: docker.Provider;
    /** Docker network names by key. */
    readonly networkNames: Record<string, pulumi.Output<string>>;
    /** Container names by service. */
    readonly containerNames: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: DockerHostNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:docker:DockerHostNamespace", name, {}, withAliases(opts, "trading-platform:docker:HostNamespace"));
        const ns = args.namespace;

        this.provider = new docker.Provider(
            `${ns}-docker`,
            {
                host: args.host,
                sshOpts: args.sshOpts,
                registryAuth: [{ address: args.registry.server, username: args.registry.username, password: args.registry.password }],
            },
            { parent: this },
        );
        const childOpts = { parent: this, provider: this.provider };

        const networks: Record<string, docker.Network> = {};
        for (const [key, spec] of Object.entries(args.networks)) {
            networks[key] = new docker.Network(
                `${ns}-${key}`,
                {
                    name: `${ns}-${key}`,
                    driver: "bridge",
                    internal: spec.internal,
                    ipamConfigs: spec.subnet ? [{ subnet: spec.subnet }] : undefined,
                    labels: [
                        { label: "io.synaptic.namespace", value: ns },
                        { label: "io.synaptic.environment", value: args.environment },
                    ],
                },
                childOpts,
            );
        }
        this.networkNames = Object.fromEntries(Object.entries(networks).map(([k, n]) => [k, n.name]));

        this.containerNames = {};
        for (const [service, spec] of Object.entries(args.services)) {
            const image = new docker.RemoteImage(
                `${ns}-${service}`,
                // Other namespaces on the host may share the digest: never delete it on destroy.
                { name: spec.image, keepLocally: true },
                childOpts,
            );
            const container = new docker.Container(
                `${ns}-${service}`,
                {
                    name: `${ns}-${service}`,
                    image: image.name,
                    command: spec.command,
                    user: spec.user,
                    readOnly: true,
                    tmpfs: spec.tmpfs,
                    capabilities: { drops: ["ALL"] },
                    securityOpts: ["no-new-privileges:true"],
                    init: true,
                    memory: spec.memoryMiB,
                    memorySwap: spec.memoryMiB,
                    cpus: String(spec.cpus),
                    restart: spec.restart,
                    healthcheck: {
                        tests: spec.healthcheck.test,
                        interval: spec.healthcheck.interval,
                        timeout: spec.healthcheck.timeout,
                        retries: spec.healthcheck.retries,
                        startPeriod: spec.healthcheck.startPeriod,
                    },
                    // `pulumi up` waits for the health check, so a broken image fails the update.
                    wait: true,
                    waitTimeout: 120,
                    envs: containerEnv(args, spec),
                    volumes:
                        spec.secrets.length > 0
                            ? [{ hostPath: `${args.vaultSecretsDir}/${service}`, containerPath: secretsMountPath, readOnly: true }]
                            : undefined,
                    networksAdvanced: spec.networks.map(key => ({ name: networks[key].name, aliases: [service] })),
                    ports: spec.ports.map(p => ({ internal: p.internal, external: p.external, ip: p.hostIp, protocol: "tcp" })),
                    labels: [
                        { label: "io.synaptic.namespace", value: ns },
                        { label: "io.synaptic.component", value: service },
                        { label: "io.synaptic.version", value: spec.version },
                        { label: "io.synaptic.environment", value: args.environment },
                        { label: tradingModeLabel, value: args.trading.mode },
                    ],
                    logDriver: "loki",
                    logOpts: {
                        "loki-url": args.loki.url,
                        "loki-batch-size": String(args.loki.batchSize),
                        "loki-retries": String(args.loki.retries),
                        "loki-external-labels": `namespace=${ns},component=${service},environment=${args.environment}`,
                        // Never block the trading process on a slow log pipeline.
                        mode: "non-blocking",
                        "max-buffer-size": "4m",
                    },
                },
                childOpts,
            );
            this.containerNames[service] = container.name;
        }

        this.registerOutputs({ networkNames: this.networkNames, containerNames: this.containerNames });
    }
}

/** Plain settings, the trading mode, and a `<NAME>_FILE` pointer per Vault-rendered secret. */
export function containerEnv(args: Pick<DockerHostNamespaceArgs, "trading">, spec: Pick<DockerServiceSpec, "env" | "secrets">): string[] {
    const env: Record<string, string> = { ...spec.env, ...tradingModeEnv(args.trading), SECRETS_DIR: secretsMountPath };
    for (const file of spec.secrets) {
        env[`${file.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_FILE`] = `${secretsMountPath}/${file}`;
    }
    return Object.entries(env)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`);
}
