import * as elasticache from "@pulumi/aws/elasticache";
import * as rds from "@pulumi/aws/rds";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { withMetadata } from "../lib/metadata";

interface BackupConfig {
    minimumBackupRetentionDays: number;
    minimumSnapshotRetentionDays: number;
}

export const dataBackupsRetained: ResourceValidationPolicy = {
    name: "data-backups-retained",
    description: "RDS automated backups and ElastiCache snapshots are on and kept at least the configured number of days.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["backup", "aws"] }),
    configSchema: {
        properties: {
            minimumBackupRetentionDays: {
                type: "integer",
                minimum: 1,
                default: 7,
                description: "Least backupRetentionPeriod of an RDS instance (days); point-in-time recovery reaches back this far.",
            },
            minimumSnapshotRetentionDays: {
                type: "integer",
                minimum: 1,
                default: 1,
                description: "Least snapshotRetentionLimit of an ElastiCache replication group (days).",
            },
        },
    },
    validateResource: [
        validateResourceOfType(rds.Instance, (db, args, reportViolation) => {
            const { minimumBackupRetentionDays: minimum } = args.getConfig<BackupConfig>();
            const days = db.backupRetentionPeriod ?? 0;
            if (days < minimum) {
                reportViolation(
                    `RDS instance "${db.identifier ?? args.name}" keeps ${days === 0 ? "no automated backups (point-in-time recovery is off)" : `backups ${days} day(s)`}; the minimum is ${minimum}. ` +
                        "Fix: raise data.postgres.backupRetentionDays in the stack's config.",
                );
            }
        }),
        validateResourceOfType(elasticache.ReplicationGroup, (group, args, reportViolation) => {
            const { minimumSnapshotRetentionDays: minimum } = args.getConfig<BackupConfig>();
            const days = group.snapshotRetentionLimit ?? 0;
            if (days < minimum) {
                reportViolation(
                    `ElastiCache replication group "${group.replicationGroupId ?? args.name}" keeps ${days === 0 ? "no snapshots" : `snapshots ${days} day(s)`}; the minimum is ${minimum}. Fix: raise data.redis.snapshotRetentionDays.`,
                );
            }
        }),
    ],
};
