import * as s3 from "@pulumi/aws/s3";
import { StackValidationPolicy } from "@pulumi/policy";
import { referencing } from "../lib/data";
import { withMetadata } from "../lib/metadata";

const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
const SSE_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];

export const s3BucketGuardrails: StackValidationPolicy = {
    name: "s3-bucket-guardrails",
    description: "Every S3 bucket has all four public access blocks on and a KMS default-encryption configuration.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "critical", topics: ["network-exposure", "encryption", "aws"] }),
    validateStack: (args, reportViolation) => {
        const publicAccessType = (s3.BucketPublicAccessBlock as unknown as { __pulumiType: string }).__pulumiType;
        for (const bucket of args.resources.filter(r => BUCKET_TYPES.includes(r.type))) {
            const name = String((bucket.props as { bucket?: string }).bucket ?? bucket.name);
            const blocks = referencing(args.resources, bucket, publicAccessType);
            const open =
                blocks.length === 0
                    ? [...PUBLIC_ACCESS_FLAGS]
                    : PUBLIC_ACCESS_FLAGS.filter(flag => !blocks.some(b => (b.props as Record<string, unknown>)[flag] === true));
            if (open.length > 0) {
                reportViolation(
                    `Bucket "${name}" ${blocks.length === 0 ? "has no public access block" : `leaves ${open.join(", ")} off`}, so a policy or ACL can still make objects public. ` +
                        "Fix: a BucketPublicAccessBlock with all four flags true (the SecureBucket component declares it).",
                    bucket.urn,
                );
            }
            const encryption = SSE_TYPES.flatMap(type => referencing(args.resources, bucket, type));
            if (encryption.length === 0) {
                reportViolation(
                    `Bucket "${name}" has no default-encryption configuration. Fix: a BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms" and the bucket's KMS key.`,
                    bucket.urn,
                );
            }
        }
    },
};
