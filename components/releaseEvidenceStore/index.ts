import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketPolicyDocument, keyPolicyDocument } from "./policy";

export { bucketPolicyDocument, keyPolicyDocument } from "./policy";
export type { StoreAccess } from "./policy";

export interface ReleaseEvidenceStoreArgs {
    /** The bucket's name (S3 names are global, so it comes from config). */
    bucketName: string;
    /** Key prefix evidence lives under: `<prefix>/<64 hex>/{trivy.json,k6-summary.json}`. */
    prefix: string;
    /** Roles that publish evidence: the application's CI. The only ones that may write. */
    writerRoleArns: string[];
    /** Roles that read evidence: the promote job. Read-only. */
    readerRoleArns: string[];
    /** Promotion records: their prefix and the roles that write them (the promote job's). */
    records?: { prefix: string; writerRoleArns: string[] };
    /** The AWS account that owns the bucket and its key. */
    accountId: pulumi.Input<string>;
    tags?: Record<string, string>;
}

/**
 * Where the application's CI publishes each image digest's release evidence (its Trivy report and
 * staging k6 summary) for the promotion gate: private, SSE-KMS with its own key, versioned so a
 * rewrite never loses what a promotion was judged on, TLS only, writable only by the CI role.
 */
export class ReleaseEvidenceStore extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    public readonly keyArn: pulumi.Output<string>;
    /** `s3://<bucket>/<prefix>/`: the root the CI writes under and the promote job syncs from. */
    public readonly evidenceUri: pulumi.Output<string>;
    /** `s3://<bucket>/<records prefix>/`: where the promote job keeps each promotion's record, when records are kept. */
    public readonly recordsUri?: pulumi.Output<string>;

    constructor(name: string, args: ReleaseEvidenceStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:aws:ReleaseEvidenceStore", name, {}, opts);
        const parent = { parent: this };
        const tags = { ...args.tags, purpose: "release-evidence" };
        const access = { writerRoleArns: args.writerRoleArns, readerRoleArns: args.readerRoleArns, records: args.records };

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Encrypts release evidence in ${args.bucketName}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi.output(args.accountId).apply(accountId => JSON.stringify(keyPolicyDocument(accountId, access))),
                tags,
            },
            parent,
        );
        const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: args.bucketName, tags }, parent);
        new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            parent,
        );
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            parent,
        );
        new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, parent);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket: bucket.id,
                rules: [
                    { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true },
                ],
            },
            parent,
        );
        new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket: bucket.id,
                policy: bucket.arn.apply(bucketArn => JSON.stringify(bucketPolicyDocument({ bucketArn, prefix: args.prefix, ...access }))),
            },
            // The account's public-access block must exist first, or a policy naming "*" is refused.
            { parent: this, dependsOn: [publicAccess] },
        );

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.keyArn = key.arn;
        this.evidenceUri = pulumi.interpolate`s3://${bucket.bucket}/${args.prefix}/`;
        this.recordsUri = args.records && pulumi.interpolate`s3://${bucket.bucket}/${args.records.prefix}/`;
        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            keyArn: this.keyArn,
            evidenceUri: this.evidenceUri,
        });
    }
}
