import { strict as assert } from "assert";
import { s3BucketGuardrails } from "../../../policy/data/s3BucketGuardrails";
import { violationsOf } from "../../support/policyHarness";
import { bucketWithGuards } from "./fixtures";

describe("policy s3-bucket-guardrails", () => {
    it("passes a bucket with all four public access blocks and KMS encryption", async () => {
        assert.deepEqual(await violationsOf(s3BucketGuardrails, bucketWithGuards("production")), []);
    });

    it("fails a bucket without a public access block, naming the bucket and the fix", async () => {
        const [message, ...rest] = await violationsOf(s3BucketGuardrails, bucketWithGuards("staging", { publicAccess: null }));
        assert.equal(rest.length, 0);
        assert.match(
            message,
            /Bucket "synaptic-staging-catalogs" has no public access block.*Fix: a BucketPublicAccessBlock with all four flags true/,
        );
    });

    it("fails a block that leaves a flag off", async () => {
        const [message] = await violationsOf(
            s3BucketGuardrails,
            bucketWithGuards("staging", { publicAccess: { restrictPublicBuckets: false } }),
        );
        assert.match(message, /leaves restrictPublicBuckets off/);
    });

    it("fails a bucket without default encryption", async () => {
        const [message] = await violationsOf(s3BucketGuardrails, bucketWithGuards("staging", { sse: false }));
        assert.match(message, /Bucket "synaptic-staging-catalogs" has no default-encryption configuration/);
    });
});
