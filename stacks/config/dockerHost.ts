import * as ipaddr from "ipaddr.js";
import { z } from "zod";
import { TIMESCALE_BACKUP_SERVICE, timescaleBackupProblems } from "../../components/dockerHostNamespace";
import { ConfigProblem } from "./errors";
import { EnvironmentName, environments, tradingVariableNames } from "../../platform";
import { absolutePath, cidr, digestReference, dnsLabel, duration, envName, httpUrl, port, sizeWithUnit, sshUrl } from "./primitives";

/** The services that run on the shared Docker host: the data pipeline, the strategy simulator, the REST adapter and the TimescaleDB backup, which share one host with no cluster under them. */
export const dockerServiceNames = ["data-pipeline", "strategy-sim", "rest-adapter", TIMESCALE_BACKUP_SERVICE] as const;
export type DockerServiceName = (typeof dockerServiceNames)[number];

/** Environment variables the namespace component sets itself; config may not override them. */
export const reservedEnvNames: readonly string[] = [...tradingVariableNames, "SECRETS_DIR"];

const secretFileName = z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]*$/, { error: "a Vault-rendered file name such as alpaca-paper-key" })
    .meta({ title: "file name" });

const healthcheckSchema = z.strictObject({
    test: z.array(z.string()).min(1).describe('Docker health check command, e.g. `["CMD", "/app/healthcheck"]`.'),
    interval: duration.default("30s").describe("Time between two checks."),
    timeout: duration.default("5s").describe("How long one check may take."),
    retries: z.number().int().min(1).max(10).default(3).describe("Failed checks in a row before the container is unhealthy."),
    startPeriod: duration.default("20s").describe("Start-up time during which a failed check does not count."),
});

const dockerServiceSchema = z.strictObject({
    image: digestReference.describe("Image pinned by digest; the host pulls exactly this."),
    version: z
        .string()
        .regex(/^(v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?|[a-z0-9-]+-[0-9a-f]{7,40})$/, {
            error: "a release tag v<semver> or a CI tag <component>-<sha>",
        })
        .meta({ title: "`v<semver>` or `<component>-<sha>`", description: "Release the digest belongs to; becomes a label." }),
    memory: sizeWithUnit.describe("Memory limit; swap is the same (none)."),
    cpus: z.number().positive().max(16).describe("CPU limit."),
    user: z
        .string()
        .regex(/^[1-9][0-9]*(:[1-9][0-9]*)?$/, { error: 'a numeric non-root uid:gid such as "10001:10001"' })
        .meta({ title: "`uid[:gid]`, non-zero", description: "The container's numeric user; never root." }),
    networks: z.array(dnsLabel).min(1).describe("Networks declared under `networks` the service joins."),
    ports: z
        .array(
            z.strictObject({
                internal: port.describe("Container port."),
                external: port.describe("Host port it is published on."),
                hostIp: z
                    .ipv4({ error: "an IPv4 address" })
                    .default("127.0.0.1")
                    .describe("Host address the port binds; loopback unless the port must face other hosts."),
            }),
        )
        .default([])
        .describe("Published ports; only on a service attached to a non-internal network."),
    healthcheck: healthcheckSchema.describe("Docker health check."),
    restart: z.enum(["unless-stopped", "on-failure", "always"]).default("unless-stopped").describe("Restart policy."),
    env: z
        .record(envName, z.string())
        .default({})
        .describe("Plain, non-secret settings; never credentials (list them under `secrets`), never the trading-mode variables."),
    secrets: z
        .array(secretFileName)
        .default([])
        .describe("Files the Vault agent renders for the service; mounted read-only at `/run/secrets`, each announced as `<NAME>_FILE`."),
    tmpfs: z
        .record(absolutePath, z.string())
        .default({ "/tmp": "rw,noexec,nosuid,size=64m" })
        .describe("Writable scratch space on the read-only root: mount point to tmpfs options."),
    command: z.array(z.string()).optional().describe("The container's command; the image's own when unset."),
});
export type DockerServiceConfig = z.infer<typeof dockerServiceSchema>;

export const dockerHostSchema = z
    .strictObject({
        host: sshUrl.describe(
            "Docker daemon of the shared host, reached over SSH as the namespace's own user (`ssh://<namespace>@host`): that user's rootless Docker daemon runs this namespace only, so one stack's key never reaches another's containers ([ci-identities.md](ci-identities.md#docker-host)). Another user is a config error.",
        ),
        sshOpts: z.array(z.string()).default([]).describe('Extra ssh options, e.g. `["-o", "StrictHostKeyChecking=yes"]`.'),
        namespace: dnsLabel.describe(
            "This stack's namespace on the shared host: prefixes every network and container; must end in `-staging` (staging) or `-prod` (production).",
        ),
        vaultSecretsDir: absolutePath.describe(
            "Where the host's Vault agent renders this namespace's secrets, one sub-directory per service; must end with the namespace's name.",
        ),
        loki: z.strictObject({
            url: httpUrl.describe("Loki push endpoint of the Loki Docker log driver."),
            batchSize: z.number().int().positive().default(400).describe("The log driver's `loki-batch-size`."),
            retries: z.number().int().min(0).default(5).describe("The log driver's `loki-retries`."),
        }),
        networks: z.record(
            dnsLabel,
            z.strictObject({
                internal: z.boolean().describe("An internal network has no route out of the host."),
                subnet: cidr.optional().describe("Fixed subnet; no two networks of the namespace may overlap."),
            }),
        ),
        services: z
            .partialRecord(z.enum(dockerServiceNames), dockerServiceSchema)
            .describe("The services the namespace runs, at least one."),
    })
    .describe("The stack's namespace on the shared Docker host.");
export type DockerHostConfig = z.infer<typeof dockerHostSchema>;

export function dockerHostRules(key: string, environment: EnvironmentName, host: DockerHostConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const suffix = environments[environment].namespaceSuffix;
    if (!host.namespace.endsWith(suffix)) {
        problems.push({
            key: `${key}.namespace`,
            expected: `a namespace ending in "${suffix}" for the ${environment} stack`,
            found: JSON.stringify(host.namespace),
        });
    }
    if (!host.vaultSecretsDir.replace(/\/+$/, "").endsWith(`/${host.namespace}`)) {
        problems.push({
            key: `${key}.vaultSecretsDir`,
            expected: `a directory named after the namespace (…/${host.namespace}), so no stack mounts another's secrets`,
            found: JSON.stringify(host.vaultSecretsDir),
        });
    }
    if (Object.keys(host.services).length === 0) {
        problems.push({ key: `${key}.services`, expected: "at least one service", found: "none" });
    }
    const backup = host.services[TIMESCALE_BACKUP_SERVICE];
    if (backup) {
        for (const p of timescaleBackupProblems(backup)) {
            problems.push({ key: `${key}.services.${TIMESCALE_BACKUP_SERVICE}.${p.path}`, expected: p.expected, found: p.found });
        }
    }
    for (const [name, service] of Object.entries(host.services)) {
        if (!service) continue;
        service.networks.forEach((network, index) => {
            if (!(network in host.networks)) {
                problems.push({
                    key: `${key}.services.${name}.networks.${index}`,
                    expected: `a network declared under ${key}.networks (${Object.keys(host.networks).join(", ") || "none declared"})`,
                    found: JSON.stringify(network),
                });
            }
        });
        for (const envKey of Object.keys(service.env)) {
            if (reservedEnvNames.includes(envKey)) {
                problems.push({
                    key: `${key}.services.${name}.env.${envKey}`,
                    expected: `no ${envKey}: the namespace sets it from trading-platform:trading`,
                    found: JSON.stringify(service.env[envKey]),
                });
            }
        }
        if (service.ports.length > 0 && service.networks.every(n => host.networks[n]?.internal)) {
            problems.push({
                key: `${key}.services.${name}.ports`,
                expected: "published ports only on a service attached to a non-internal network",
                found: `ports ${service.ports.map(p => p.external).join(", ")} with only internal networks`,
            });
        }
    }
    problems.push(...overlappingSubnets(key, host), ...portsPublishedTwice(key, host));
    return problems;
}

/** Two networks of one namespace whose subnets overlap: Docker refuses the second ("Pool overlaps"). */
function overlappingSubnets(key: string, host: DockerHostConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const declared = Object.entries(host.networks).flatMap(([name, network]) =>
        network.subnet ? [{ name, subnet: network.subnet, range: ipaddr.IPv4.parseCIDR(network.subnet) }] : [],
    );
    declared.forEach((b, j) => {
        const a = declared.slice(0, j).find(a => b.range[0].match(a.range) || a.range[0].match(b.range));
        if (a) {
            problems.push({
                key: `${key}.networks.${b.name}.subnet`,
                expected: `a subnet that overlaps no other network of the namespace (${a.name} has ${a.subnet})`,
                found: JSON.stringify(b.subnet),
            });
        }
    });
    return problems;
}

/** A host port published twice on one address (or once on 0.0.0.0 and again anywhere): Docker fails the second container. */
function portsPublishedTwice(key: string, host: DockerHostConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const published: { where: string; hostIp: string; external: number }[] = [];
    for (const [name, service] of Object.entries(host.services)) {
        service?.ports.forEach((port, index) => {
            const where = `${key}.services.${name}.ports.${index}`;
            const clash = published.find(
                p => p.external === port.external && (p.hostIp === port.hostIp || p.hostIp === "0.0.0.0" || port.hostIp === "0.0.0.0"),
            );
            if (clash) {
                problems.push({
                    key: `${where}.external`,
                    expected: `a host port no other published port takes on ${port.hostIp} (${clash.where} publishes ${clash.hostIp}:${clash.external})`,
                    found: String(port.external),
                });
            }
            published.push({ where, hostIp: port.hostIp, external: port.external });
        });
    }
    return problems;
}
