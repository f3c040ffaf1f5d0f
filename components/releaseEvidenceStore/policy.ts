// Who may do what in the release-evidence store: pure, so tests read the documents directly.

export interface StoreAccess {
    bucketArn: string;
    prefix: string;
    writerRoleArns: string[];
    readerRoleArns: string[];
    /**
     * Promotion records kept beside the evidence they were judged on (GitHub keeps an artifact 90 days
     * at most): under their own prefix, written only by the promote role, never deleted.
     */
    records?: { prefix: string; writerRoleArns: string[] };
}

/**
 * The bucket policy: the application's CI writes evidence under the prefix, the promote role reads
 * it, nobody else writes or deletes anything (not even other principals of the account), and every
 * request must use TLS.
 */
export function bucketPolicyDocument(access: StoreAccess) {
    const objects = `${access.bucketArn}/${access.prefix}/*`;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [access.bucketArn, `${access.bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                Sid: "CiWritesEvidence",
                Effect: "Allow",
                Principal: { AWS: access.writerRoleArns },
                Action: ["s3:PutObject"],
                Resource: objects,
            },
            {
                Sid: "PromoteReadsEvidence",
                Effect: "Allow",
                Principal: { AWS: [...access.writerRoleArns, ...access.readerRoleArns] },
                Action: ["s3:GetObject", "s3:GetObjectVersion"],
                Resource: objects,
            },
            {
                Sid: "PromoteListsEvidence",
                Effect: "Allow",
                Principal: { AWS: [...access.writerRoleArns, ...access.readerRoleArns] },
                Action: "s3:ListBucket",
                Resource: access.bucketArn,
                Condition: { StringLike: { "s3:prefix": [`${access.prefix}/*`] } },
            },
            // Evidence is append-only: published once per digest, never rewritten by anyone else.
            {
                Sid: "OnlyCiWrites",
                Effect: "Deny",
                Principal: "*",
                Action: ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectAcl"],
                Resource: `${access.bucketArn}/*`,
                Condition: { ArnNotLike: { "aws:PrincipalArn": [...access.writerRoleArns, ...(access.records?.writerRoleArns ?? [])] } },
            },
            ...(access.records ? recordStatements(access.bucketArn, objects, access.writerRoleArns, access.records) : []),
        ],
    };
}

/** The promote role writes records under their prefix only; nobody deletes one; the CI writes none. */
function recordStatements(bucketArn: string, evidence: string, evidenceWriters: string[], records: NonNullable<StoreAccess["records"]>) {
    const recordObjects = `${bucketArn}/${records.prefix}/*`;
    return [
        {
            Sid: "PromoteWritesRecords",
            Effect: "Allow",
            Principal: { AWS: records.writerRoleArns },
            Action: ["s3:PutObject"],
            Resource: recordObjects,
        },
        {
            Sid: "EvidenceOnlyFromCi",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:PutObject"],
            Resource: evidence,
            Condition: { ArnNotLike: { "aws:PrincipalArn": evidenceWriters } },
        },
        {
            Sid: "RecordsOnlyFromPromote",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:PutObject"],
            Resource: recordObjects,
            Condition: { ArnNotLike: { "aws:PrincipalArn": records.writerRoleArns } },
        },
        {
            Sid: "RecordsAreKept",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
            Resource: recordObjects,
        },
    ];
}

/** The key policy: the account administers the key; the writer encrypts, readers decrypt. */
export function keyPolicyDocument(accountId: string, access: Omit<StoreAccess, "bucketArn" | "prefix">) {
    const recordWriters = access.records?.writerRoleArns ?? [];
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersKey",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CiEncryptsEvidence",
                Effect: "Allow",
                Principal: { AWS: access.writerRoleArns },
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: "*",
            },
            {
                Sid: "PromoteDecryptsEvidence",
                Effect: "Allow",
                Principal: { AWS: access.readerRoleArns },
                Action: "kms:Decrypt",
                Resource: "*",
            },
            ...(recordWriters.length > 0
                ? [
                      {
                          Sid: "PromoteEncryptsRecords",
                          Effect: "Allow",
                          Principal: { AWS: recordWriters },
                          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                          Resource: "*",
                      },
                  ]
                : []),
        ],
    };
}
