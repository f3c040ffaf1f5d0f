import { z } from "zod";
import { ConfigProblem } from "./errors";
import { EnvironmentName, environments } from "../../platform";

/** Trivy's severities, lowest first: a block level blocks its own and every higher one. */
export const trivySeverities = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type TrivySeverity = (typeof trivySeverities)[number];

const roleArn = z
    .string()
    .regex(/^arn:aws:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]+$/, { error: "an IAM role ARN such as arn:aws:iam::111122223333:role/app-ci" });
const isoDate = z
    .string({ error: "a date as YYYY-MM-DD" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "a date as YYYY-MM-DD" })
    .refine(text => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), {
        error: "a real calendar date as YYYY-MM-DD",
    });
const milliseconds = z.number().positive();

export const releaseEvidenceSchema = z.strictObject({
    /** Where the application's CI publishes evidence: `s3://<bucketName>/<prefix>/<64 hex>/{trivy.json,k6-summary.json}`. */
    store: z.strictObject({
        /** The AWS account that owns the bucket and its KMS key (the production stack's account). */
        accountId: z.string().regex(/^\d{12}$/, { error: "a 12-digit AWS account ID" }),
        bucketName: z
            .string()
            .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "an S3 bucket name (3 to 63 lowercase letters, digits, '.', '-')" }),
        prefix: z
            .string()
            .regex(/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/, {
                error: "a key prefix without leading or trailing '/', such as release-evidence",
            })
            .default("release-evidence"),
        /** Where the promote job keeps each promotion's record (`<recordsPrefix>/<tag>/<run>/`), beside the evidence. */
        recordsPrefix: z
            .string()
            .regex(/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/, {
                error: "a key prefix without leading or trailing '/', such as promotion-records",
            })
            .default("promotion-records"),
        /** Roles that publish evidence (the application's CI): the only ones that may write. */
        writerRoleArns: z.array(roleArn).min(1),
        /** Roles that read evidence (the promote job); they may not write. */
        readerRoleArns: z.array(roleArn).min(1),
    }),
    /** The image scan (`trivy image --format json`). */
    scan: z
        .strictObject({
            /** Findings of this severity or higher refuse the image. */
            blockSeverity: z.enum(trivySeverities).default("CRITICAL"),
            /** Accepted findings: each names the vulnerability, why, and until when (inclusive, UTC). */
            allowList: z
                .array(
                    z.strictObject({
                        id: z.string().regex(/^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9-]+$/, {
                            error: "a vulnerability ID such as CVE-2024-12345 or GHSA-xxxx-xxxx-xxxx",
                        }),
                        reason: z.string().min(10),
                        expires: isoDate,
                    }),
                )
                .default([]),
        })
        .default({ blockSeverity: "CRITICAL", allowList: [] }),
    /** The staging load test (k6's end-of-test summary); every limit is exclusive (p95 < 500 ms). */
    loadTest: z
        .strictObject({
            httpP95Ms: milliseconds.default(500),
            httpP99Ms: milliseconds.default(1000),
            /** Largest accepted `http_req_failed` rate, 0..1. */
            httpErrorRate: z.number().gt(0).max(1).default(0.01),
            /** The trend metric the test records order execution in. */
            orderExecutionMetric: z
                .string()
                .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "a k6 metric name such as order_execution_duration" })
                .default("order_execution_duration"),
            orderExecutionP95Ms: milliseconds.default(300),
        })
        .default({
            httpP95Ms: 500,
            httpP99Ms: 1000,
            httpErrorRate: 0.01,
            orderExecutionMetric: "order_execution_duration",
            orderExecutionP95Ms: 300,
        }),
    /** Evidence older than this is refused. */
    maxAgeDays: z.number().int().min(1).max(90).default(14),
});
export type ReleaseEvidenceConfig = z.infer<typeof releaseEvidenceSchema>;

export function releaseEvidenceRules(
    key: string,
    environment: EnvironmentName,
    evidence: ReleaseEvidenceConfig | undefined,
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    // The promotion gate reads its settings from the production stack, which owns the store.
    if (environments[environment].production && !evidence) {
        problems.push({
            key,
            expected:
                "the releaseEvidence section: the promotion gate reads its limits and the evidence store from it (see docs/config.md)",
            found: "nothing (the key is not set)",
        });
    }
    if (!environments[environment].production && evidence) {
        problems.push({
            key,
            expected: "no releaseEvidence section: the production stack owns the evidence store and the gate's settings",
            found: "a releaseEvidence section",
        });
    }
    if (!evidence) return problems;
    const writers = new Set(evidence.store.writerRoleArns);
    evidence.store.readerRoleArns.forEach((arn, i) => {
        if (writers.has(arn)) {
            problems.push({
                key: `${key}.store.readerRoleArns.${i}`,
                expected: "a role that only reads evidence (not also a writer)",
                found: JSON.stringify(arn),
            });
        }
    });
    const { prefix, recordsPrefix } = evidence.store;
    if (`${recordsPrefix}/`.startsWith(`${prefix}/`) || `${prefix}/`.startsWith(`${recordsPrefix}/`)) {
        problems.push({
            key: `${key}.store.recordsPrefix`,
            expected: `a prefix apart from the evidence's ("${prefix}"): the CI writes evidence, the promote job records`,
            found: JSON.stringify(recordsPrefix),
        });
    }
    const seen = new Set<string>();
    evidence.scan.allowList.forEach((entry, i) => {
        if (seen.has(entry.id)) {
            problems.push({ key: `${key}.scan.allowList.${i}.id`, expected: "each vulnerability listed once", found: `${entry.id} again` });
        }
        seen.add(entry.id);
    });
    if (evidence.loadTest.httpP99Ms < evidence.loadTest.httpP95Ms) {
        problems.push({
            key: `${key}.loadTest.httpP99Ms`,
            expected: `a limit at least httpP95Ms (${evidence.loadTest.httpP95Ms})`,
            found: String(evidence.loadTest.httpP99Ms),
        });
    }
    return problems;
}
