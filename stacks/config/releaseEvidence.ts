import { z } from "zod";
import { ConfigProblem } from "./errors";
import { EnvironmentName, environments } from "../../platform";

/** Trivy's severities, lowest first: a block level blocks its own and every higher one. */
export const trivySeverities = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type TrivySeverity = (typeof trivySeverities)[number];

const roleArn = z
    .string()
    .regex(/^arn:aws:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]+$/, { error: "an IAM role ARN such as arn:aws:iam::111122223333:role/app-ci" })
    .meta({ title: "IAM role ARN" });
const isoDate = z
    .string({ error: "a date as YYYY-MM-DD" })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "a date as YYYY-MM-DD" })
    .refine(text => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), {
        error: "a real calendar date as YYYY-MM-DD",
    })
    .meta({ title: "date `YYYY-MM-DD`" });
const milliseconds = z.number().positive().meta({ title: "ms" });
const keyPrefix = (example: string) =>
    z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/, {
            error: `a key prefix without leading or trailing '/', such as ${example}`,
        })
        .meta({ title: "key prefix" });

export const releaseEvidenceSchema = z
    .strictObject({
        store: z
            .strictObject({
                accountId: z
                    .string()
                    .regex(/^\d{12}$/, { error: "a 12-digit AWS account ID" })
                    .meta({
                        title: "12 digits",
                        description: "AWS account that owns the bucket and its KMS key (the production stack's account).",
                    }),
                bucketName: z
                    .string()
                    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
                        error: "an S3 bucket name (3 to 63 lowercase letters, digits, '.', '-')",
                    })
                    .meta({
                        title: "S3 bucket name",
                        description: "The evidence bucket (private, SSE-KMS with its own rotating key, versioned, TLS only).",
                    }),
                prefix: keyPrefix("release-evidence")
                    .default("release-evidence")
                    .describe("Evidence of digest `sha256:<hex>` is `s3://<bucketName>/<prefix>/<hex>/trivy.json` and `k6-summary.json`."),
                recordsPrefix: keyPrefix("promotion-records")
                    .default("promotion-records")
                    .describe(
                        "Where the promote job keeps each promotion's record (`<recordsPrefix>/<tag>/<run>-<attempt>/`: `record.jsonl` and the final `Pulumi.production.yaml`), beside the evidence it was judged on: only the production deploy role writes there, nobody may delete, and versioning keeps every write (GitHub keeps the artifact 90 days at most). Must not overlap `prefix`. The production environment's `PROMOTION_RECORDS_URI` points here.",
                    ),
                writerRoleArns: z
                    .array(roleArn)
                    .min(1)
                    .describe("The application CI's roles: the only principals that may write or delete objects."),
                readerRoleArns: z
                    .array(roleArn)
                    .min(1)
                    .describe(
                        "Roles that read evidence; must include production's deploy role (`AWS_DEPLOY_ROLE_ARN`, `ci`), and may not also be writers.",
                    ),
            })
            .describe("Where the application's CI publishes evidence: `s3://<bucketName>/<prefix>/<64 hex>/{trivy.json,k6-summary.json}`."),
        scan: z
            .strictObject({
                blockSeverity: z
                    .enum(trivySeverities)
                    .default("CRITICAL")
                    .describe(
                        "A Trivy finding of this severity or higher refuses the image; `HIGH` findings below it are listed as warnings.",
                    ),
                allowList: z
                    .array(
                        z.strictObject({
                            id: z
                                .string()
                                .regex(/^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9-]+$/, {
                                    error: "a vulnerability ID such as CVE-2024-12345 or GHSA-xxxx-xxxx-xxxx",
                                })
                                .meta({ title: "vulnerability ID", description: "`CVE-…`, `GHSA-…`; each ID once." }),
                            reason: z.string().min(10).describe("Why it is accepted (at least 10 characters)."),
                            expires: isoDate.describe("The entry holds through this date (UTC) and allows nothing from the next day."),
                        }),
                    )
                    .default([])
                    .describe("Accepted findings."),
            })
            .default({ blockSeverity: "CRITICAL", allowList: [] })
            .describe("The image scan (`trivy image --format json`)."),
        loadTest: z
            .strictObject({
                httpP95Ms: milliseconds.default(500).describe("`http_req_duration` p(95) must be below it."),
                httpP99Ms: milliseconds.default(1000).describe("`http_req_duration` p(99) must be below it; at least `httpP95Ms`."),
                httpErrorRate: z.number().gt(0).max(1).default(0.01).describe("`http_req_failed` rate must be below it."),
                orderExecutionMetric: z
                    .string()
                    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "a k6 metric name such as order_execution_duration" })
                    .default("order_execution_duration")
                    .meta({ title: "k6 metric name", description: "The Trend metric the load test records order execution in." }),
                orderExecutionP95Ms: milliseconds.default(300).describe("Its p(95) must be below it."),
            })
            .default({
                httpP95Ms: 500,
                httpP99Ms: 1000,
                httpErrorRate: 0.01,
                orderExecutionMetric: "order_execution_duration",
                orderExecutionP95Ms: 300,
            })
            .describe("The staging load test (k6's end-of-test summary); every limit is exclusive."),
        maxAgeDays: z
            .number()
            .int()
            .min(1)
            .max(90)
            .default(14)
            .describe("Evidence older than this is refused (the scan's `CreatedAt`; the summary's S3 upload time)."),
    })
    .describe("Production only: the release-evidence store and what the promotion gate demands of every image production would run.");
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
