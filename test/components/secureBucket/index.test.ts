import { strict as assert } from "assert";
import { SecureBucket, SecureBucketArgs, tlsOnlyPolicy } from "../../../components/secureBucket";
import { declareIn, one } from "../../support/components";

const args = (overrides: Partial<SecureBucketArgs> = {}): SecureBucketArgs => ({
    bucketName: "synaptic-trading-prod-backups",
    purpose: "backups",
    lifecycle: { noncurrentVersionExpirationDays: 120, transitionToInfrequentAccessDays: 30, abortIncompleteMultipartUploadDays: 7 },
    tags: { environment: "production" },
    ...overrides,
});
const declared = (a: SecureBucketArgs) => declareIn("production", () => void new SecureBucket(a.bucketName, a));

describe("component SecureBucket", () => {
    it("blocks every public access path and enforces bucket-owner objects", async () => {
        const resources = await declared(args());
        const block = one(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        assert.deepEqual(
            [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
            [true, true, true, true],
        );
        assert.equal(
            (one(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule as { objectOwnership: string })
                .objectOwnership,
            "BucketOwnerEnforced",
        );
        assert.equal(one(resources, "aws:s3/bucket:Bucket").inputs.bucket, "synaptic-trading-prod-backups");
    });

    it("encrypts with SSE-KMS and versions every object", async () => {
        const resources = await declared(args());
        const sse = one(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs
            .rules as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
        assert.equal(sse[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.equal(sse[0].bucketKeyEnabled, true);
        assert.equal(
            (one(resources, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration as { status: string }).status,
            "Enabled",
        );
    });

    it("applies the configured lifecycle", async () => {
        const rules = one(
            await declared(
                args({ lifecycle: { noncurrentVersionExpirationDays: 45, expirationDays: 400, abortIncompleteMultipartUploadDays: 3 } }),
            ),
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        ).inputs.rules as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
        assert.equal(rules.length, 1);
        assert.deepEqual(rules[0].noncurrentVersionExpiration, { noncurrentDays: 45 });
        assert.deepEqual(rules[0].expiration, { days: 400 });
        assert.deepEqual(rules[0].abortIncompleteMultipartUpload, { daysAfterInitiation: 3 });
        assert.equal(rules[0].transitions, undefined);
    });

    it("declares a policy that denies requests without TLS", async () => {
        assert.ok(one(await declared(args()), "aws:s3/bucketPolicy:BucketPolicy"));
        const policy = JSON.parse(tlsOnlyPolicy("arn:aws:s3:::b"));
        assert.deepEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.equal(policy.Statement[0].Effect, "Deny");
        assert.deepEqual(policy.Statement[0].Resource, ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]);
    });
});
