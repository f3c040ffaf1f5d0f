import { z } from "zod";
import { DEFAULT_POSTGRES_MAJOR, isRestoreTime, SUPPORTED_POSTGRES_MAJORS } from "../../components/rdsPostgres";
import { isRedis7 } from "../../components/redisCache";
import { ConfigProblem } from "./errors";
import { EnvironmentName } from "../../platform";
import { dnsLabel } from "./primitives";

/** Backups must outlive the gap between two quarterly restore drills. */
export const DRILL_INTERVAL_DAYS = 92;

const days = (max: number) => z.number().int().min(1).max(max);
const rdsInstanceClass = z
    .string()
    .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "an RDS instance class such as db.t4g.medium" })
    .meta({ title: "`db.<family>.<size>`" });

const bucketSchema = z.strictObject({
    name: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, { error: "an S3 bucket name (lowercase letters, digits, '-')" })
        .meta({ title: "S3 bucket name", description: "Globally unique name, other than the other bucket's." }),
    noncurrentVersionExpirationDays: days(3650).describe(
        `Days a replaced or deleted version is kept. Production's backups bucket needs at least ${DRILL_INTERVAL_DAYS} (a quarter: the restore drill's interval).`,
    ),
    transitionToInfrequentAccessDays: z
        .number()
        .int()
        .min(30)
        .optional()
        .describe("Move current objects to STANDARD_IA after this many days."),
    expirationDays: days(3650).optional().describe("Expire current objects after this many days."),
    abortIncompleteMultipartUploadDays: days(30).default(7).describe("Clean up abandoned multipart uploads after this many days."),
});

export const dataSchema = z
    .strictObject({
        postgres: z.strictObject({
            identifier: dnsLabel.describe("RDS instance identifier."),
            majorVersion: z
                .number()
                .int()
                .refine(v => (SUPPORTED_POSTGRES_MAJORS as readonly number[]).includes(v), {
                    error: `a PostgreSQL major version RDS offers (${SUPPORTED_POSTGRES_MAJORS.join(", ")})`,
                })
                .default(DEFAULT_POSTGRES_MAJOR)
                .meta({
                    title: SUPPORTED_POSTGRES_MAJORS.map(v => `\`${v}\``).join(" | "),
                    description: "PostgreSQL major version; names the parameter-group family (`postgres15`).",
                }),
            instanceClass: rdsInstanceClass.describe("Instance class."),
            allocatedStorageGiB: z.number().int().min(20).max(65536).default(50).describe("Initial gp3 storage, in GiB."),
            maxAllocatedStorageGiB: z
                .number()
                .int()
                .min(20)
                .max(65536)
                .default(200)
                .describe("Storage autoscaling ceiling, in GiB; at least `allocatedStorageGiB`."),
            backupRetentionDays: days(35)
                .default(7)
                .describe(
                    "Days of automated backups; point-in-time recovery reaches back this far. The pack checks it against the policy config's minimum.",
                ),
            performanceInsightsRetentionDays: z
                .number()
                .int()
                .default(7)
                .describe("Performance Insights retention: 7 (the free tier) or a multiple of 31 up to 731 days."),
            databaseName: z
                .string()
                .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "a database name (lowercase letters, digits, '_')" })
                .default("trading")
                .meta({ title: "identifier", description: "Initial database." }),
            masterUsername: z
                .string()
                .regex(/^[a-z][a-z0-9_]{0,15}$/, { error: "a user name (lowercase letters, digits, '_', at most 16)" })
                .default("trading_admin")
                .meta({
                    title: "identifier (≤ 16)",
                    description:
                        "Master user; its password is generated and kept by RDS in Secrets Manager (never config, never an output).",
                }),
        }),
        redis: z.strictObject({
            replicationGroupId: dnsLabel.describe("ElastiCache replication group id."),
            engineVersion: z.string().default("7.1").meta({ title: "`7.<minor>`", description: "Redis 7.x only." }),
            nodeType: z
                .string()
                .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: "an ElastiCache node type such as cache.t4g.small" })
                .meta({ title: "`cache.<family>.<size>`", description: "Node type." }),
            cacheClusters: z
                .number()
                .int()
                .min(1)
                .max(6)
                .describe("Primary plus replicas. Two or more turn on automatic failover and Multi-AZ; production needs two or more."),
            snapshotRetentionDays: z.number().int().min(0).max(35).default(7).describe("Daily snapshots kept."),
        }),
        buckets: z.strictObject({
            catalogs: bucketSchema.describe("The strategy and data catalogs bucket."),
            backups: bucketSchema.describe("The backups bucket."),
        }),
        restoreDrill: z
            .strictObject({
                enabled: z
                    .boolean()
                    .describe("`true` declares the drill's instance; `false` (or no section) deletes it on the next update."),
                sourceInstanceIdentifier: dnsLabel.describe(
                    "Instance whose automated backups are restored; the drill's instance is `<source>-drill`, in its own security group.",
                ),
                restoreTime: z.string().optional().meta({
                    title: "UTC time `YYYY-MM-DDTHH:MM:SSZ`",
                    description:
                        "Point in time to restore, within the source's backup retention and in the past; unset restores to the latest restorable time.",
                }),
                instanceClass: rdsInstanceClass.optional().describe("Class of the drill's instance; `postgres.instanceClass` when unset."),
            })
            .optional()
            .describe(
                "The quarterly restore drill (docs/runbook.md): a PostgreSQL instance restored to a point in time. Staging only: `enabled: true` in production is an error.",
            ),
    })
    .describe("The stack's data services: PostgreSQL on RDS, Redis on ElastiCache and two S3 buckets.");
export type DataConfig = z.infer<typeof dataSchema>;

/** Identifier of the drill's instance: derived, so a drill can never take the source's name. */
export function drillInstanceIdentifier(sourceInstanceIdentifier: string): string {
    return `${sourceInstanceIdentifier}-drill`;
}

/**
 * The cross-key rules of `data`. `now` judges the restore drill's point in time: RDS restores only
 * between the source's earliest restorable time (its backup retention back) and its latest (about
 * five minutes ago), so a time in the future or past the retention fails at apply, after the rest of
 * the update went through.
 */
export function dataRules(key: string, environment: EnvironmentName, data: DataConfig, now: Date): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const pg = data.postgres;
    if (pg.maxAllocatedStorageGiB < pg.allocatedStorageGiB) {
        problems.push({
            key: `${key}.postgres.maxAllocatedStorageGiB`,
            expected: `at least allocatedStorageGiB (${pg.allocatedStorageGiB})`,
            found: String(pg.maxAllocatedStorageGiB),
        });
    }
    const pi = pg.performanceInsightsRetentionDays;
    if (!(pi === 7 || (pi % 31 === 0 && pi >= 31 && pi <= 731))) {
        problems.push({
            key: `${key}.postgres.performanceInsightsRetentionDays`,
            expected: "7 or a multiple of 31 up to 731 (what Performance Insights accepts)",
            found: String(pi),
        });
    }
    if (!isRedis7(data.redis.engineVersion)) {
        problems.push({
            key: `${key}.redis.engineVersion`,
            expected: 'a Redis 7.x version such as "7.1"',
            found: JSON.stringify(data.redis.engineVersion),
        });
    }
    if (environment === "production" && data.redis.cacheClusters < 2) {
        problems.push({
            key: `${key}.redis.cacheClusters`,
            expected: "at least 2 in production: automatic failover and Multi-AZ need a replica",
            found: String(data.redis.cacheClusters),
        });
    }
    if (data.buckets.catalogs.name === data.buckets.backups.name) {
        problems.push({
            key: `${key}.buckets.backups.name`,
            expected: "a bucket other than the catalogs bucket",
            found: JSON.stringify(data.buckets.backups.name),
        });
    }
    if (environment === "production" && data.buckets.backups.noncurrentVersionExpirationDays < DRILL_INTERVAL_DAYS) {
        problems.push({
            key: `${key}.buckets.backups.noncurrentVersionExpirationDays`,
            expected: `at least ${DRILL_INTERVAL_DAYS} in production, so every backup version since the last quarterly drill can still be restored`,
            found: String(data.buckets.backups.noncurrentVersionExpirationDays),
        });
    }
    const drill = data.restoreDrill;
    if (drill) {
        if (environment === "production" && drill.enabled) {
            problems.push({
                key: `${key}.restoreDrill.enabled`,
                expected: "false in production: the drill restores into staging",
                found: "true",
            });
        }
        if (drill.restoreTime !== undefined && !isRestoreTime(drill.restoreTime)) {
            problems.push({
                key: `${key}.restoreDrill.restoreTime`,
                expected: 'a UTC time such as "2026-11-20T03:00:00Z", or no key for the latest restorable time',
                found: JSON.stringify(drill.restoreTime),
            });
        } else if (drill.restoreTime !== undefined && drill.enabled) {
            problems.push(
                ...restoreTimeProblems(
                    `${key}.restoreDrill.restoreTime`,
                    drill.restoreTime,
                    drill.sourceInstanceIdentifier === pg.identifier ? pg.backupRetentionDays : undefined,
                    now,
                ),
            );
        }
        if (drillInstanceIdentifier(drill.sourceInstanceIdentifier) === pg.identifier) {
            problems.push({
                key: `${key}.restoreDrill.sourceInstanceIdentifier`,
                expected: "a source whose drill copy does not collide with postgres.identifier",
                found: JSON.stringify(drill.sourceInstanceIdentifier),
            });
        }
    }
    return problems;
}

/** The most days of automated backups RDS keeps: the furthest back any instance can be restored. */
const RDS_MAX_RETENTION_DAYS = 35;

/**
 * Why the drill cannot restore to `restoreTime` now: later than now, or earlier than the source's
 * retention reaches (this stack's `postgres.backupRetentionDays` when it is the source, else RDS's
 * maximum of 35 days, the most any source can keep).
 */
function restoreTimeProblems(key: string, restoreTime: string, retentionDays: number | undefined, now: Date): ConfigProblem[] {
    const at = Date.parse(restoreTime);
    if (at > now.getTime()) {
        return [
            {
                key,
                expected: `a time in the past (now is ${now.toISOString().slice(0, 19)}Z), or no key for the latest restorable time`,
                found: JSON.stringify(restoreTime),
            },
        ];
    }
    const days = retentionDays ?? RDS_MAX_RETENTION_DAYS;
    const earliest = now.getTime() - days * 24 * 60 * 60 * 1000;
    if (at < earliest) {
        const source =
            retentionDays === undefined
                ? `RDS keeps backups at most ${days} days`
                : `the source keeps ${days} days of backups (postgres.backupRetentionDays)`;
        return [
            {
                key,
                expected: `a time within the source's retention, after ${new Date(earliest).toISOString().slice(0, 19)}Z (${source})`,
                found: JSON.stringify(restoreTime),
            },
        ];
    }
    return [];
}
