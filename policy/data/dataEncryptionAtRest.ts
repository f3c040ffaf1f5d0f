import * as elasticache from "@pulumi/aws/elasticache";
import * as rds from "@pulumi/aws/rds";
import * as s3 from "@pulumi/aws/s3";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSetOrComputed } from "../lib/data";
import { withMetadata } from "../lib/metadata";

export const dataEncryptionAtRest: ResourceValidationPolicy = {
    name: "data-encryption-at-rest",
    description: "RDS instances, ElastiCache replication groups and S3 buckets encrypt at rest with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["encryption", "aws"] }),
    validateResource: [
        validateResourceOfType(rds.Instance, (db, args, reportViolation) => {
            const who = `RDS instance "${db.identifier ?? args.name}"`;
            if (db.storageEncrypted !== true) {
                reportViolation(
                    `${who} has storageEncrypted ${String(db.storageEncrypted ?? "unset")}, so its storage and snapshots are readable by anyone with the volume. Fix: storageEncrypted: true with kmsKeyId set to the service's KMS key (the RdsPostgres component does both).`,
                );
            } else if (!isSetOrComputed(() => db.kmsKeyId)) {
                reportViolation(
                    `${who} is encrypted with the AWS-managed key, whose use cannot be limited or revoked per service. Fix: set kmsKeyId to a customer-managed KMS key.`,
                );
            }
        }),
        validateResourceOfType(elasticache.ReplicationGroup, (group, args, reportViolation) => {
            const who = `ElastiCache replication group "${group.replicationGroupId ?? args.name}"`;
            if (group.atRestEncryptionEnabled !== true && String(group.atRestEncryptionEnabled) !== "true") {
                reportViolation(
                    `${who} has atRestEncryptionEnabled ${String(group.atRestEncryptionEnabled ?? "unset")}: its snapshots and swap are in clear. Fix: atRestEncryptionEnabled: true with kmsKeyId (the RedisCache component does both).`,
                );
            } else if (!isSetOrComputed(() => group.kmsKeyId)) {
                reportViolation(`${who} is encrypted with the AWS-managed key. Fix: set kmsKeyId to a customer-managed KMS key.`);
            }
        }),
        validateResourceOfType(s3.BucketServerSideEncryptionConfiguration, (sse, args, reportViolation) => {
            for (const [i, rule] of (sse.rules ?? []).entries()) {
                const byDefault = rule.applyServerSideEncryptionByDefault;
                const algorithm = byDefault?.sseAlgorithm;
                if (!algorithm || !algorithm.startsWith("aws:kms") || !isSetOrComputed(() => byDefault?.kmsMasterKeyId)) {
                    reportViolation(
                        `Bucket encryption "${args.name}" rule ${i} uses ${algorithm ?? "no algorithm"}${algorithm?.startsWith("aws:kms") ? " without kmsMasterKeyId" : ""}. ` +
                            'Fix: sseAlgorithm: "aws:kms" with kmsMasterKeyId set to the bucket\'s customer-managed key (the SecureBucket component does this).',
                    );
                }
            }
        }),
    ],
};
