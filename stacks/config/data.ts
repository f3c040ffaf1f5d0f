import { z } from "zod";
import { DEFAULT_POSTGRES_MAJOR, isRestoreTime, SUPPORTED_POSTGRES_MAJORS } from "../../components/rdsPostgres";
import { isRedis7 } from "../../components/redisCache";
import { ConfigProblem } from "./errors";
import { EnvironmentName } from "../../platform";
import { dnsLabel } from "./primitives";

/** Backups must outlive the gap between two quarterly restore drills. */
export const DRILL_INTERVAL_DAYS = 92;

const days = (max: number) => z.number().int().min(1).max(max);

const bucketSchema = z.strictObject({
    /** Globally unique bucket name. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, { error: "an S3 bucket name (lowercase letters, digits, '-')" }),
    noncurrentVersionExpirationDays: days(3650),
    transitionToInfrequentAccessDays: z.number().int().min(30).optional(),
    expirationDays: days(3650).optional(),
    abortIncompleteMultipartUploadDays: days(30).default(7),
});

export const dataSchema = z.strictObject({
    postgres: z.strictObject({
        identifier: dnsLabel,
        majorVersion: z
            .number()
            .int()
            .refine(v => (SUPPORTED_POSTGRES_MAJORS as readonly number[]).includes(v), {
                error: `a PostgreSQL major version RDS offers (${SUPPORTED_POSTGRES_MAJORS.join(", ")})`,
            })
            .default(DEFAULT_POSTGRES_MAJOR),
        instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "an RDS instance class such as db.t4g.medium" }),
        allocatedStorageGiB: z.number().int().min(20).max(65536).default(50),
        maxAllocatedStorageGiB: z.number().int().min(20).max(65536).default(200),
        /** Automated backups; point-in-time recovery reaches back this far. */
        backupRetentionDays: days(35).default(7),
        /** 7 (free tier) or a multiple of 31 up to 731. */
        performanceInsightsRetentionDays: z.number().int().default(7),
        databaseName: z
            .string()
            .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "a database name (lowercase letters, digits, '_')" })
            .default("trading"),
        masterUsername: z
            .string()
            .regex(/^[a-z][a-z0-9_]{0,15}$/, { error: "a user name (lowercase letters, digits, '_', at most 16)" })
            .default("trading_admin"),
    }),
    redis: z.strictObject({
        replicationGroupId: dnsLabel,
        engineVersion: z.string().default("7.1"),
        nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: "an ElastiCache node type such as cache.t4g.small" }),
        /** Primary plus replicas. */
        cacheClusters: z.number().int().min(1).max(6),
        snapshotRetentionDays: z.number().int().min(0).max(35).default(7),
    }),
    buckets: z.strictObject({ catalogs: bucketSchema, backups: bucketSchema }),
    /** Quarterly restore drill: a PostgreSQL instance restored to a point in time (staging only). */
    restoreDrill: z
        .strictObject({
            enabled: z.boolean(),
            /** Instance whose automated backups the drill restores from. */
            sourceInstanceIdentifier: dnsLabel,
            /** UTC point in time; unset restores to the latest restorable time. */
            restoreTime: z.string().optional(),
            instanceClass: z
                .string()
                .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "an RDS instance class such as db.t4g.medium" })
                .optional(),
        })
        .optional(),
});
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
