// Release evidence: judges, per image digest, the Trivy scan and the staging k6 summary the
// application's CI published. Pure: the caller reads the files and supplies the clock.
import { z } from "zod";
import { parseJsonText } from "../runtime/jsonText";
import { ReleaseEvidenceConfig, trivySeverities } from "../../stacks/config/releaseEvidence";

/** The two files every digest's evidence directory holds, `<dir>/<64 hex>/<file>`. */
export const evidenceFiles = { trivy: "trivy.json", k6: "k6-summary.json" } as const;

/** What the gate judges: the config section minus where the evidence is stored. */
export type EvidencePolicy = Pick<ReleaseEvidenceConfig, "scan" | "loadTest" | "maxAgeDays">;

/** A file as read from the evidence directory; `text` undefined when the file is not there. */
export interface EvidenceFile {
    path: string;
    text?: string;
    /** Last modification time, ms since the epoch (set from S3's LastModified by `aws s3 sync`). */
    mtimeMs?: number;
}

export interface Refusal {
    file: string;
    rule: string;
    found: string;
}

export interface DigestVerdict {
    /** `sha256:<64 hex>` */
    digest: string;
    /** The image references in the plan that carry this digest. */
    images: string[];
    passed: boolean;
    refusals: Refusal[];
    warnings: string[];
}

/** A report that is not the documented format: bad input (exit 2), not a refusal. */
export class MalformedEvidenceError extends Error {
    constructor(message: string) {
        super(message);
        // The CLIs print a UsageError as one paragraph, without a stack trace.
        this.name = "UsageError";
    }
}

const dayMs = 24 * 60 * 60 * 1000;

// Trivy's JSON report (`trivy image --format json`, SchemaVersion 2; CreatedAt since Trivy 0.48).
// Only the fields the gate reads are checked; Trivy adds fields between releases.
const trivyVulnerability = z.looseObject({
    VulnerabilityID: z.string().min(1),
    PkgName: z.string(),
    InstalledVersion: z.string().optional(),
    FixedVersion: z.string().optional(),
    Severity: z.enum(trivySeverities),
});
const trivyReport = z.looseObject({
    SchemaVersion: z.literal(2),
    CreatedAt: z.string().optional(),
    ArtifactName: z.string().min(1),
    Metadata: z.looseObject({ ImageID: z.string().optional(), RepoDigests: z.array(z.string()).optional() }).optional(),
    // Trivy omits Results and Vulnerabilities when there is nothing to list (Go's omitempty), and may write null.
    Results: z.array(z.looseObject({ Target: z.string(), Vulnerabilities: z.array(trivyVulnerability).nullish() })).nullish(),
});
type TrivyReport = z.infer<typeof trivyReport>;

// k6's end-of-test summary, in either documented form: `k6 run --summary-export` writes each
// metric's values flat ({"avg": .., "p(95)": ..}; a rate as "value"), the handleSummary() data
// object nests them ({"type": "trend", "values": {"p(95)": ..}}). Times are milliseconds in both.
const k6Metric = z.looseObject({ values: z.record(z.string(), z.unknown()).optional() });
const k6Summary = z.looseObject({ metrics: z.record(z.string(), k6Metric) });
type K6Summary = z.infer<typeof k6Summary>;

function parse<T>(file: EvidenceFile, schema: z.ZodType<T>, what: string): T {
    const json = parseJsonText(file.text as string, problem => new MalformedEvidenceError(`${file.path} is not ${what}: ${problem}`));
    const result = schema.safeParse(json);
    if (!result.success) {
        const issue = result.error.issues[0];
        const at = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
        throw new MalformedEvidenceError(`${file.path} is not ${what}: at ${at}, ${issue.message}`);
    }
    return result.data;
}

/** Clock skew tolerated between the CI that dated the evidence and the gate. */
const skewMs = 10 * 60 * 1000;

function age(ms: number): string {
    return `${(ms / dayMs).toFixed(1)} days`;
}

/** Whether the report names the digest: its ArtifactName or one of its RepoDigests is pinned to it. */
function trivyNames(report: TrivyReport, digest: string): boolean {
    const pinned = (ref: string) => ref.endsWith(`@${digest}`);
    return pinned(report.ArtifactName) || (report.Metadata?.RepoDigests ?? []).some(pinned);
}

/** An allow-list entry holds through its expiry date (UTC) and allows nothing from the next day. */
function allowedUntil(expires: string): number {
    return Date.parse(`${expires}T00:00:00Z`) + dayMs;
}

export function judgeTrivy(
    file: EvidenceFile,
    digest: string,
    policy: EvidencePolicy,
    now: Date,
): { refusals: Refusal[]; warnings: string[] } {
    const refusals: Refusal[] = [];
    const warnings: string[] = [];
    const refuse = (rule: string, found: string) => refusals.push({ file: file.path, rule, found });
    if (file.text === undefined) {
        refuse("the image was scanned", "no Trivy report (publish `trivy image --format json` of this digest)");
        return { refusals, warnings };
    }
    const report = parse(file, trivyReport, "a Trivy JSON report (trivy image --format json, SchemaVersion 2)");
    if (!trivyNames(report, digest)) {
        // Whatever it says, a report on another image proves nothing about this one.
        const named = [report.ArtifactName, ...(report.Metadata?.RepoDigests ?? [])].join(", ");
        refuse("the report is for this digest", `a report for ${named}`);
        return { refusals, warnings };
    }
    const created = report.CreatedAt === undefined ? NaN : Date.parse(report.CreatedAt);
    if (Number.isNaN(created)) {
        refuse(
            "the scan is dated",
            `CreatedAt ${report.CreatedAt === undefined ? "missing (Trivy before 0.48 does not write it)" : JSON.stringify(report.CreatedAt)}`,
        );
    } else if (created - now.getTime() > skewMs) {
        // A date in the future would keep a report "fresh" long after the scan.
        refuse("the scan is dated", `CreatedAt ${report.CreatedAt}, later than the gate's clock (${now.toISOString()})`);
    } else if (now.getTime() - created > policy.maxAgeDays * dayMs) {
        refuse(
            `the scan is at most ${policy.maxAgeDays} days old`,
            `a scan from ${report.CreatedAt} (${age(now.getTime() - created)} old)`,
        );
    }

    const block = trivySeverities.indexOf(policy.scan.blockSeverity);
    const high = trivySeverities.indexOf("HIGH");
    const seen = new Set<string>();
    for (const result of report.Results ?? []) {
        for (const v of result.Vulnerabilities ?? []) {
            const key = `${v.VulnerabilityID} ${v.PkgName} ${v.InstalledVersion ?? ""}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const what = `${v.Severity} ${v.VulnerabilityID} in ${v.PkgName} ${v.InstalledVersion ?? "?"} (${result.Target}; ${v.FixedVersion ? `fixed in ${v.FixedVersion}` : "no fix yet"})`;
            const level = trivySeverities.indexOf(v.Severity);
            if (level >= block) {
                const entry = policy.scan.allowList.find(e => e.id === v.VulnerabilityID);
                if (entry && now.getTime() < allowedUntil(entry.expires)) {
                    warnings.push(`${what}: allowed until ${entry.expires} (${entry.reason})`);
                } else if (entry) {
                    refuse(
                        `no ${policy.scan.blockSeverity} or higher finding`,
                        `${what}; its allow-list entry expired on ${entry.expires}`,
                    );
                } else {
                    refuse(`no ${policy.scan.blockSeverity} or higher finding`, what);
                }
            } else if (level >= high) {
                warnings.push(`${what}: fix within 7 days`);
            }
        }
    }
    return { refusals, warnings };
}

/**
 * A statistic of a k6 metric in either summary form; undefined when the summary lacks it. A figure k6
 * cannot write (a negative time, a rate outside 0..1) is a malformed summary, never a pass.
 */
function statistic(file: EvidenceFile, summary: K6Summary, metric: string, stat: string): number | undefined {
    const entry = summary.metrics[metric] as Record<string, unknown> | undefined;
    if (!entry) return undefined;
    const values = (entry.values ?? entry) as Record<string, unknown>;
    // summary-export writes a rate metric's rate as "value"; handleSummary as values.rate.
    const raw = stat === "rate" ? (values.rate ?? values.value) : values[stat];
    if (typeof raw !== "number" || !Number.isFinite(raw)) return undefined;
    if (raw < 0 || (stat === "rate" && raw > 1)) {
        const expected = stat === "rate" ? "a rate between 0 and 1" : "a time of 0 ms or more";
        throw new MalformedEvidenceError(
            `${file.path} is not a k6 end-of-test summary k6 could write: at metrics.${metric} ${stat}, expected ${expected}; found ${raw}`,
        );
    }
    return raw;
}

const trendStatsHint =
    'run k6 with --summary-trend-stats "avg,min,med,max,p(90),p(95),p(99)" (or options.summaryTrendStats) so the summary holds p(99)';

export function judgeK6(file: EvidenceFile, policy: EvidencePolicy, now: Date): Refusal[] {
    const refusals: Refusal[] = [];
    const refuse = (rule: string, found: string) => refusals.push({ file: file.path, rule, found });
    if (file.text === undefined) {
        refuse("staging was load-tested", "no k6 summary (publish k6's --summary-export file or the handleSummary() data)");
        return refusals;
    }
    const summary = parse(file, k6Summary, "a k6 end-of-test summary (k6 run --summary-export, or handleSummary's data as JSON)");
    const limits = policy.loadTest;
    // The run's own threshold flags are not read: the gate's limits are config's, and --summary-export
    // writes those flags inverted (true means the threshold failed).
    const below = (metric: string, stat: string, limit: number, unit: string, missing: string) => {
        const value = statistic(file, summary, metric, stat);
        const rule = `${metric} ${stat} < ${limit}${unit}`;
        if (value === undefined) refuse(rule, missing);
        else if (!(value < limit)) refuse(rule, `${stat}=${unit === "" ? value : value.toFixed(2)}${unit}`);
    };
    const durationMissing = (stat: string) =>
        summary.metrics.http_req_duration
            ? `no ${stat} of http_req_duration in the summary; ${trendStatsHint}`
            : "no http_req_duration metric (the test made no HTTP request)";
    below("http_req_duration", "p(95)", limits.httpP95Ms, "ms", durationMissing("p(95)"));
    below("http_req_duration", "p(99)", limits.httpP99Ms, "ms", durationMissing("p(99)"));
    below("http_req_failed", "rate", limits.httpErrorRate, "", "no http_req_failed rate (the test made no HTTP request)");
    below(
        limits.orderExecutionMetric,
        "p(95)",
        limits.orderExecutionP95Ms,
        "ms",
        summary.metrics[limits.orderExecutionMetric]
            ? `no p(95) of ${limits.orderExecutionMetric} in the summary; ${trendStatsHint}`
            : `no ${limits.orderExecutionMetric} metric: record order execution in a Trend of that name (new Trend("${limits.orderExecutionMetric}", true))`,
    );
    // Neither summary form carries a date: the file's time is S3's LastModified, kept by `aws s3 sync`.
    if (file.mtimeMs === undefined) {
        refuse("the load test is dated", "no modification time");
    } else if (file.mtimeMs - now.getTime() > skewMs) {
        refuse(
            "the load test is dated",
            `published ${new Date(file.mtimeMs).toISOString()}, later than the gate's clock (${now.toISOString()})`,
        );
    } else if (now.getTime() - file.mtimeMs > policy.maxAgeDays * dayMs) {
        refuse(
            `the load test is at most ${policy.maxAgeDays} days old`,
            `a summary published ${new Date(file.mtimeMs).toISOString()} (${age(now.getTime() - file.mtimeMs)} old)`,
        );
    }
    return refusals;
}

/** The verdict on one digest's evidence. Throws MalformedEvidenceError on a report that does not parse. */
export function judgeDigest(
    input: { digest: string; images: string[]; trivy: EvidenceFile; k6: EvidenceFile },
    policy: EvidencePolicy,
    now: Date,
): DigestVerdict {
    const scan = judgeTrivy(input.trivy, input.digest, policy, now);
    const refusals = [...scan.refusals, ...judgeK6(input.k6, policy, now)];
    return { digest: input.digest, images: input.images, passed: refusals.length === 0, refusals, warnings: scan.warnings };
}

/** `sha256:<hex>` of a reference pinned by digest; undefined for a tag. */
export function digestOf(image: string): string | undefined {
    return /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1];
}

/** The digests to judge, each with the references that carry it, in plan order. */
export function digestsToJudge(images: string[]): { digest: string; images: string[] }[] {
    const byDigest = new Map<string, string[]>();
    for (const image of images) {
        const digest = digestOf(image);
        if (!digest) throw new MalformedEvidenceError(`${image} is not pinned by digest: release evidence is kept per digest`);
        byDigest.set(digest, [...(byDigest.get(digest) ?? []), image]);
    }
    return [...byDigest].map(([digest, refs]) => ({ digest, images: refs }));
}
