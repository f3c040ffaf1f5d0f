import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BucketLifecycle, lifecycleRule, tlsOnlyPolicy } from "./rules";

export * from "./rules";

export interface SecureBucketArgs {
    /** Globally unique bucket name. */
    bucketName: string;
    /** What the bucket holds, for the key's description. */
    purpose: string;
    lifecycle: BucketLifecycle;
    tags: Record<string, string>;
}

/**
 * An S3 bucket nobody reaches by accident: every public access path blocked, objects owned by the
 * bucket owner, SSE-KMS with its own key, versioning, lifecycle rules and a TLS-only policy.
 */
export class SecureBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:data:SecureBucket", name, {}, opts);
        const parent = { parent: this };
        const tags = { ...args.tags, Name: args.bucketName };

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Objects of s3://${args.bucketName} (${args.purpose})`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                tags,
            },
            parent,
        );
        new aws.kms.Alias(`${name}-key`, { name: `alias/s3-${args.bucketName}`, targetKeyId: key.keyId }, parent);
        const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: args.bucketName, forceDestroy: false, tags }, parent);
        const bucketOpts = { parent: this, dependsOn: [bucket] };
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            bucketOpts,
        );
        new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            bucketOpts,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-sse`,
            {
                bucket: bucket.id,
                rules: [
                    { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true },
                ],
            },
            bucketOpts,
        );
        const versioning = new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            bucketOpts,
        );
        // Noncurrent-version rules mean nothing until versioning is on.
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            { bucket: bucket.id, rules: [lifecycleRule(args.lifecycle)] },
            { parent: this, dependsOn: [versioning] },
        );
        // A policy applied before the block could be judged public; order them.
        new aws.s3.BucketPolicy(
            `${name}-tls-only`,
            { bucket: bucket.id, policy: bucket.arn.apply(tlsOnlyPolicy) },
            { parent: this, dependsOn: [publicAccess] },
        );

        this.bucketName = bucket.bucket;
        this.arn = bucket.arn;
        this.kmsKeyArn = key.arn;
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
    }
}
