import { EvaluatedResource } from "../../../tools/engine/resource";
import { resourceOf, urnOf } from "../../support/policyHarness";

// Valid data resources, as the data components declare them, that each test breaks in one way.

export const RDS = "aws:rds/instance:Instance";
export const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
export const SG = "aws:ec2/securityGroup:SecurityGroup";
export const BUCKET = "aws:s3/bucket:Bucket";
export const PUBLIC_ACCESS = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
export const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";

export function rdsInstance(stack: string, overrides: Record<string, unknown> = {}): EvaluatedResource {
    const production = stack === "production";
    return resourceOf(stack, RDS, "pg-instance", {
        identifier: `trading-${stack}-pg`,
        engine: "postgres",
        storageEncrypted: true,
        kmsKeyId: "arn:aws:kms:ap-south-1:111122223333:key/1234",
        publiclyAccessible: false,
        backupRetentionPeriod: 7,
        deletionProtection: production,
        skipFinalSnapshot: !production,
        finalSnapshotIdentifier: production ? `trading-${stack}-pg-final` : undefined,
        ...overrides,
    });
}

export function redisGroup(stack: string, overrides: Record<string, unknown> = {}): EvaluatedResource {
    return resourceOf(stack, REDIS, "redis-group", {
        replicationGroupId: `trading-${stack}-redis`,
        atRestEncryptionEnabled: true,
        kmsKeyId: "arn:aws:kms:ap-south-1:111122223333:key/5678",
        transitEncryptionEnabled: true,
        authToken: "a-secret-token-0123456789",
        snapshotRetentionLimit: 7,
        ...overrides,
    });
}

export function securityGroup(stack: string, ingress: Record<string, unknown>[]): EvaluatedResource {
    return resourceOf(stack, SG, "pg-sg", { name: "pg-sg", ingress });
}

/** A bucket with its public access block and KMS encryption, linked the way the engine links them. */
export function bucketWithGuards(
    stack: string,
    guards: { publicAccess?: Record<string, unknown> | null; sse?: boolean } = {},
): EvaluatedResource[] {
    const bucket = resourceOf(stack, BUCKET, "catalogs-bucket", { bucket: `synaptic-${stack}-catalogs` });
    const dependsOnBucket = { propertyDependencies: { bucket: [bucket.urn] }, dependencies: [bucket.urn] };
    const resources = [bucket];
    if (guards.publicAccess !== null) {
        resources.push(
            resourceOf(
                stack,
                PUBLIC_ACCESS,
                "catalogs-public-access",
                {
                    bucket: "id",
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                    ...guards.publicAccess,
                },
                dependsOnBucket,
            ),
        );
    }
    if (guards.sse !== false) {
        resources.push(
            resourceOf(
                stack,
                SSE,
                "catalogs-sse",
                { bucket: "id", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:key" } }] },
                dependsOnBucket,
            ),
        );
    }
    return resources;
}

export { urnOf };
