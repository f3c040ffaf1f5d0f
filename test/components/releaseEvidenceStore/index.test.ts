import { strict as assert } from "assert";
import { bucketPolicyDocument, keyPolicyDocument, ReleaseEvidenceStore } from "../../../components/releaseEvidenceStore";
import { runProgram } from "../../../tools/runtime/program";

const writer = "arn:aws:iam::111122223333:role/app-ci";
const reader = "arn:aws:iam::111122223333:role/promote";

async function declare() {
    let store: ReleaseEvidenceStore | undefined;
    const run = await runProgram({
        project: "trading-platform",
        stack: "production",
        config: {},
        secretKeys: [],
        program: () => {
            store = new ReleaseEvidenceStore("release-evidence", {
                bucketName: "evidence-bucket-111122223333",
                prefix: "release-evidence",
                writerRoleArns: [writer],
                readerRoleArns: [reader],
                accountId: "111122223333",
            });
        },
    });
    assert.equal(run.error, undefined);
    const only = (type: string) => {
        const found = run.resources.filter(r => r.type === type);
        assert.equal(found.length, 1, `one ${type}; found ${found.length}`);
        return found[0];
    };
    return { run, only, store: store as ReleaseEvidenceStore };
}

type Statement = {
    Sid: string;
    Effect: string;
    Principal: unknown;
    Action: string | string[];
    Resource: unknown;
    Condition?: Record<string, Record<string, unknown>>;
};
const statements = (policy: unknown): Statement[] => (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
const bySid = (policy: unknown, sid: string) => {
    const found = statements(policy).find(s => s.Sid === sid);
    assert.ok(found, `statement ${sid}`);
    return found;
};

describe("component ReleaseEvidenceStore", () => {
    it("declares a private bucket named from config, owner-enforced, versioned", async () => {
        const { only } = await declare();
        assert.equal(only("aws:s3/bucket:Bucket").inputs.bucket, "evidence-bucket-111122223333");
        const block = only("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        assert.deepEqual(
            [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
            [true, true, true, true],
        );
        assert.equal(
            (only("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule as { objectOwnership: string }).objectOwnership,
            "BucketOwnerEnforced",
        );
        assert.deepEqual(only("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration, { status: "Enabled" });
    });

    it("encrypts with its own rotating KMS key that the CI encrypts with and the promote role only decrypts", async () => {
        const { only } = await declare();
        const key = only("aws:kms/key:Key").inputs;
        assert.equal(key.enableKeyRotation, true);
        const [rule] = only("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules as {
            applyServerSideEncryptionByDefault: { sseAlgorithm: string };
        }[];
        assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.deepEqual(bySid(key.policy, "CiEncryptsEvidence").Principal, { AWS: [writer] });
        assert.deepEqual(bySid(key.policy, "PromoteDecryptsEvidence"), {
            Sid: "PromoteDecryptsEvidence",
            Effect: "Allow",
            Principal: { AWS: [reader] },
            Action: "kms:Decrypt",
            Resource: "*",
        });
        assert.deepEqual(bySid(key.policy, "AccountAdministersKey").Principal, { AWS: "arn:aws:iam::111122223333:root" });
    });

    it("lets only the CI write, the promote role read the prefix, and nobody in without TLS", async () => {
        const { run } = await declare();
        const policy = run.resources.find(r => r.type === "aws:s3/bucketPolicy:BucketPolicy");
        // The bucket's ARN is unknown before the first up, so the policy document is too.
        assert.ok(policy, "a bucket policy");
        const doc = JSON.stringify(
            bucketPolicyDocument({
                bucketArn: "arn:aws:s3:::evidence-bucket",
                prefix: "release-evidence",
                writerRoleArns: [writer],
                readerRoleArns: [reader],
            }),
        );
        assert.deepEqual(bySid(doc, "DenyInsecureTransport").Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.deepEqual(bySid(doc, "CiWritesEvidence").Principal, { AWS: [writer] });
        const read = bySid(doc, "PromoteReadsEvidence");
        assert.deepEqual(
            [read.Action, read.Resource],
            [["s3:GetObject", "s3:GetObjectVersion"], "arn:aws:s3:::evidence-bucket/release-evidence/*"],
        );
        const onlyCi = bySid(doc, "OnlyCiWrites");
        assert.equal(onlyCi.Effect, "Deny");
        assert.ok((onlyCi.Action as string[]).includes("s3:PutObject") && (onlyCi.Action as string[]).includes("s3:DeleteObject"));
        assert.deepEqual(onlyCi.Condition, { ArnNotLike: { "aws:PrincipalArn": [writer] } });
        // The reader appears in no statement that writes.
        for (const s of statements(doc).filter(s => s.Effect === "Allow" && [s.Action].flat().some(a => /Put|Delete/.test(a)))) {
            assert.doesNotMatch(JSON.stringify(s.Principal), /role\/promote/, s.Sid);
        }
    });

    it("outputs the s3:// root the CI writes under and the promote job syncs from", async () => {
        const { store } = await declare();
        const uri = await new Promise(resolve => store.evidenceUri.apply(resolve));
        assert.equal(uri, "s3://evidence-bucket-111122223333/release-evidence/");
    });

    it("keeps promotion records beside the evidence: only the promote role writes them, nobody deletes them, and neither side writes the other's", () => {
        const promote = "arn:aws:iam::111122223333:role/deploy";
        const records = { prefix: "promotion-records", writerRoleArns: [promote] };
        const doc = JSON.stringify(
            bucketPolicyDocument({
                bucketArn: "arn:aws:s3:::evidence-bucket",
                prefix: "release-evidence",
                writerRoleArns: [writer],
                readerRoleArns: [promote],
                records,
            }),
        );
        const write = bySid(doc, "PromoteWritesRecords");
        assert.deepEqual(
            [write.Principal, write.Action, write.Resource],
            [{ AWS: [promote] }, ["s3:PutObject"], "arn:aws:s3:::evidence-bucket/promotion-records/*"],
        );
        assert.deepEqual(bySid(doc, "OnlyCiWrites").Condition, { ArnNotLike: { "aws:PrincipalArn": [writer, promote] } });
        assert.deepEqual(bySid(doc, "EvidenceOnlyFromCi").Condition, { ArnNotLike: { "aws:PrincipalArn": [writer] } });
        assert.equal(bySid(doc, "EvidenceOnlyFromCi").Resource, "arn:aws:s3:::evidence-bucket/release-evidence/*");
        assert.deepEqual(bySid(doc, "RecordsOnlyFromPromote").Condition, { ArnNotLike: { "aws:PrincipalArn": [promote] } });
        const kept = bySid(doc, "RecordsAreKept");
        assert.deepEqual([kept.Effect, kept.Principal, kept.Condition], ["Deny", "*", undefined]);
        // SSE-KMS: writing a record needs a data key.
        assert.deepEqual(
            bySid(
                JSON.stringify(keyPolicyDocument("111122223333", { writerRoleArns: [writer], readerRoleArns: [promote], records })),
                "PromoteEncryptsRecords",
            ).Action,
            ["kms:GenerateDataKey", "kms:Decrypt"],
        );
        // Without records, none of it.
        const plain = JSON.stringify(
            bucketPolicyDocument({
                bucketArn: "arn:aws:s3:::b",
                prefix: "release-evidence",
                writerRoleArns: [writer],
                readerRoleArns: [reader],
            }),
        );
        assert.equal(
            statements(plain).some(s => /Record/.test(s.Sid)),
            false,
        );
    });
});
