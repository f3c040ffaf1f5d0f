// Pure rules of the bucket component: the TLS-only policy and the lifecycle rules.

export interface BucketLifecycle {
    /** Days a replaced or deleted object version is kept. */
    noncurrentVersionExpirationDays: number;
    /** Days before current objects move to STANDARD_IA; unset keeps them in STANDARD. */
    transitionToInfrequentAccessDays?: number;
    /** Days before current objects expire; unset keeps them. */
    expirationDays?: number;
    abortIncompleteMultipartUploadDays: number;
}

/** Refuses every request made without TLS, whoever makes it. */
export function tlsOnlyPolicy(bucketArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    });
}

/** The lifecycle rule of a bucket, in the shape `aws.s3.BucketLifecycleConfiguration` takes. */
export function lifecycleRule(lifecycle: BucketLifecycle) {
    return {
        id: "retention",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: lifecycle.abortIncompleteMultipartUploadDays },
        noncurrentVersionExpiration: { noncurrentDays: lifecycle.noncurrentVersionExpirationDays },
        transitions:
            lifecycle.transitionToInfrequentAccessDays === undefined
                ? undefined
                : [{ days: lifecycle.transitionToInfrequentAccessDays, storageClass: "STANDARD_IA" }],
        expiration: lifecycle.expirationDays === undefined ? undefined : { days: lifecycle.expirationDays },
    };
}
