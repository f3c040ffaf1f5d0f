// The TimescaleDB backup job on the shared Docker host. It runs as one more service of the stack's
// DockerHostNamespace, so it gets the same hardening (read-only root, no capabilities, no-new-privileges,
// non-root user, Vault-rendered secret files, Loki logs); this file holds what is particular to it.
// RDS does not offer the TimescaleDB extension, which is why the database stays on the host and needs
// a backup of its own.

/** The Docker host service name of the backup job. */
export const TIMESCALE_BACKUP_SERVICE = "timescale-backup";

/** Vault-rendered files the job needs: the database DSN and short-lived AWS credentials for the bucket. */
export const TIMESCALE_BACKUP_SECRETS = ["timescale-dsn", "backups-aws-credentials"] as const;

/** Where in the backups bucket a namespace's dumps go. */
export function timescaleBackupPrefix(namespace: string): string {
    return `timescaledb/${namespace}/`;
}

/** Settings the stack derives for the job (the bucket is the stack's backups bucket); never credentials. */
export function timescaleBackupEnv(args: { bucket: string; namespace: string; region: string }): Record<string, string> {
    return {
        BACKUP_BUCKET: args.bucket,
        BACKUP_PREFIX: timescaleBackupPrefix(args.namespace),
        AWS_REGION: args.region,
        BACKUP_SSE: "aws:kms",
    };
}

/** Problems with a configured backup job, phrased as expectations. */
export function timescaleBackupProblems(service: {
    secrets: string[];
    env: Record<string, string>;
    command?: string[];
}): { path: string; expected: string; found: string }[] {
    const problems: { path: string; expected: string; found: string }[] = [];
    const missing = TIMESCALE_BACKUP_SECRETS.filter(s => !service.secrets.includes(s));
    if (missing.length > 0) {
        problems.push({
            path: "secrets",
            expected: `the Vault-rendered files ${TIMESCALE_BACKUP_SECRETS.join(", ")} (credentials come from Vault, never config)`,
            found: JSON.stringify(service.secrets),
        });
    }
    for (const key of Object.keys(timescaleBackupEnv({ bucket: "", namespace: "", region: "" }))) {
        if (key in service.env) {
            problems.push({
                path: `env.${key}`,
                expected: `no ${key}: the stack sets it from data.buckets.backups and eks.region`,
                found: JSON.stringify(service.env[key]),
            });
        }
    }
    if (!service.command || service.command.length === 0) {
        problems.push({
            path: "command",
            expected: 'the scheduler command, e.g. ["/app/bin/backup", "--schedule", "0 */6 * * *", "--mode", "pg_dump"]',
            found: "nothing",
        });
    }
    return problems;
}
