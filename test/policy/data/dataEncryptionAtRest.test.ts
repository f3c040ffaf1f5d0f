import { strict as assert } from "assert";
import { dataEncryptionAtRest } from "../../../policy/data/dataEncryptionAtRest";
import { UNKNOWN } from "../../../tools/runtime/propertyValues";
import { resourceOf } from "../../support/policyHarness";
import { violationsOf } from "../../support/policyHarness";
import { bucketWithGuards, rdsInstance, redisGroup, SSE } from "./fixtures";

describe("policy data-encryption-at-rest", () => {
    it("passes RDS, Redis and S3 encrypted with customer-managed keys", async () => {
        assert.deepEqual(
            await violationsOf(dataEncryptionAtRest, [
                rdsInstance("production"),
                redisGroup("production"),
                ...bucketWithGuards("production"),
            ]),
            [],
        );
    });

    it("fails unencrypted RDS storage and an RDS on the AWS-managed key", async () => {
        assert.match(
            (await violationsOf(dataEncryptionAtRest, [rdsInstance("staging", { storageEncrypted: false })]))[0],
            /RDS instance "trading-staging-pg" has storageEncrypted false.*Fix: storageEncrypted: true/,
        );
        assert.match(
            (await violationsOf(dataEncryptionAtRest, [rdsInstance("staging", { kmsKeyId: undefined })]))[0],
            /AWS-managed key.*Fix: set kmsKeyId/,
        );
    });

    it("fails Redis without at-rest encryption or key", async () => {
        assert.match(
            (await violationsOf(dataEncryptionAtRest, [redisGroup("staging", { atRestEncryptionEnabled: false })]))[0],
            /"trading-staging-redis" has atRestEncryptionEnabled false/,
        );
        assert.match((await violationsOf(dataEncryptionAtRest, [redisGroup("staging", { kmsKeyId: undefined })]))[0], /AWS-managed key/);
    });

    it("fails S3 encryption with SSE-S3 (AES256)", async () => {
        const sse = resourceOf("staging", SSE, "b-sse", {
            bucket: "id",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        });
        assert.match((await violationsOf(dataEncryptionAtRest, [sse]))[0], /rule 0 uses AES256.*Fix: sseAlgorithm: "aws:kms"/);
    });

    it("counts a key ARN not yet known in a preview as set", async () => {
        assert.deepEqual(await violationsOf(dataEncryptionAtRest, [rdsInstance("production", { kmsKeyId: UNKNOWN })]), []);
    });
});
