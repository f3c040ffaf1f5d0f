import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { releaseEvidenceSchema } from "../../../stacks/config/releaseEvidence";
import { DigestVerdict, EvidenceFile, EvidencePolicy, judgeDigest, judgeK6, judgeTrivy } from "../../../tools/gate/evidence";
import { evidenceSources, judgeEvidenceDir, readReleaseEvidenceConfig } from "../../../tools/gate/evidenceDir";
import { renderEvidenceMarkdown } from "../../../tools/gate/evidenceSummary";
import { PLAN_SCHEMA_VERSION } from "../../../tools/plan/document";
import { runTool, tempDir } from "../../support/cli";
import { repoRoot } from "../../support/stackConfig";

// Fixtures follow the documented formats: Trivy 0.69's `--format json` report (SchemaVersion 2,
// CreatedAt since 0.48) and k6 1.x's two end-of-test summaries (--summary-export, handleSummary data).
const fixtures = path.join(__dirname, "fixtures", "evidence");
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), "utf8"));
const hex = "a1".repeat(32);
const digest = `sha256:${hex}`;
const image = `ghcr.io/synaptic-platform/synaptictrading/api@${digest}`;
/** The scan's CreatedAt in trivy.json; every clock below is set relative to it. */
const scannedAt = Date.parse("2026-11-20T09:14:03Z");
const dayMs = 24 * 60 * 60 * 1000;
const now = new Date(scannedAt + 2 * dayMs);

const policy = (edit: (p: EvidencePolicy) => void = () => undefined): EvidencePolicy => {
    const parsed = releaseEvidenceSchema.parse({
        store: {
            accountId: "111122223333",
            bucketName: "evidence-bucket",
            writerRoleArns: ["arn:aws:iam::111122223333:role/app-ci"],
            readerRoleArns: ["arn:aws:iam::111122223333:role/promote"],
        },
    });
    edit(parsed);
    return parsed;
};
const file = (name: string, json: unknown, mtimeMs = scannedAt + dayMs): EvidenceFile => ({
    path: `evidence/${hex}/${name}`,
    text: JSON.stringify(json),
    mtimeMs,
});
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const trivy = (edit: (r: any) => void = () => undefined) => {
    const report = fixture("trivy.json");
    edit(report);
    return file("trivy.json", report);
};
const critical = (id = "CVE-2024-45337") => ({
    VulnerabilityID: id,
    PkgID: "golang.org/x/crypto@v0.30.0",
    PkgName: "golang.org/x/crypto",
    InstalledVersion: "v0.30.0",
    FixedVersion: "0.31.0",
    Status: "fixed",
    Severity: "CRITICAL",
    Title: "golang.org/x/crypto/ssh: Misuse of ServerConfig.PublicKeyCallback may cause authorization bypass",
});
const withCritical = (id?: string) =>
    trivy(r => r.Results.push({ Target: "app/bin/api", Class: "lang-pkgs", Type: "gobinary", Vulnerabilities: [critical(id)] }));
const summaries = { "--summary-export": "k6-summary-export.json", handleSummary: "k6-handle-summary.json" } as const;
const cleanK6 = file("k6-summary.json", fixture(summaries.handleSummary));
const judge = (t: EvidenceFile, k: EvidenceFile = cleanK6, p = policy(), at = now): DigestVerdict =>
    judgeDigest({ digest, images: [image], trivy: t, k6: k }, p, at);

describe("release evidence", () => {
    describe("Trivy report", () => {
        it("passes a clean image, listing its HIGH finding as a warning", () => {
            const verdict = judge(trivy());
            assert.deepEqual(verdict.refusals, []);
            assert.equal(verdict.passed, true);
            assert.deepEqual(verdict.warnings, [
                "HIGH CVE-2024-47874 in starlette 0.37.2 (app/requirements.lock; fixed in 0.40.0): fix within 7 days",
            ]);
        });

        it("refuses a CRITICAL finding, naming the digest's file, the rule and the finding", () => {
            const verdict = judge(withCritical());
            assert.equal(verdict.passed, false);
            assert.deepEqual(verdict.refusals, [
                {
                    file: `evidence/${hex}/trivy.json`,
                    rule: "no CRITICAL or higher finding",
                    found: "CRITICAL CVE-2024-45337 in golang.org/x/crypto v0.30.0 (app/bin/api; fixed in 0.31.0)",
                },
            ]);
        });

        it("blocks at the configured severity: HIGH then refuses the HIGH finding", () => {
            const { refusals } = judgeTrivy(
                trivy(),
                digest,
                policy(p => (p.scan.blockSeverity = "HIGH")),
                now,
            );
            assert.deepEqual(
                refusals.map(r => [r.rule, r.found.split(" (")[0]]),
                [["no HIGH or higher finding", "HIGH CVE-2024-47874 in starlette 0.37.2"]],
            );
        });

        it("allows a CRITICAL finding on the allow-list through its expiry date, and refuses it the day after", () => {
            const allowed = policy(
                p =>
                    (p.scan.allowList = [
                        { id: "CVE-2024-45337", reason: "SSH server code is not linked into the api binary", expires: "2026-11-30" },
                    ]),
            );
            const lastDay = new Date("2026-11-30T23:59:59Z");
            const dayAfter = new Date("2026-12-01T00:00:00Z");
            const old = { ...withCritical(), mtimeMs: undefined };
            const during = judgeTrivy(old, digest, { ...allowed, maxAgeDays: 90 }, lastDay);
            assert.deepEqual(during.refusals, []);
            assert.ok(
                during.warnings.some(w => w.includes("CVE-2024-45337") && w.includes("allowed until 2026-11-30 (SSH server code")),
                during.warnings.join("\n"),
            );
            const after = judgeTrivy(old, digest, { ...allowed, maxAgeDays: 90 }, dayAfter);
            assert.equal(after.refusals.length, 1);
            assert.match(after.refusals[0].found, /CVE-2024-45337 .*; its allow-list entry expired on 2026-11-30$/);
            // An entry for another vulnerability allows nothing.
            const other = policy(
                p => (p.scan.allowList = [{ id: "CVE-2023-0001", reason: "not the finding at hand", expires: "2099-01-01" }]),
            );
            assert.equal(judgeTrivy(withCritical(), digest, other, now).refusals.length, 1);
        });

        it("refuses a report for another digest, whatever it says", () => {
            const other = "b2".repeat(32);
            const verdict = judge(
                trivy(r => {
                    r.ArtifactName = `ghcr.io/synaptic-platform/synaptictrading/api@sha256:${other}`;
                    r.Metadata.RepoDigests = [r.ArtifactName];
                }),
            );
            assert.deepEqual(
                verdict.refusals.map(r => [r.rule, r.found]),
                [
                    [
                        "the report is for this digest",
                        `a report for ghcr.io/synaptic-platform/synaptictrading/api@sha256:${other}, ghcr.io/synaptic-platform/synaptictrading/api@sha256:${other}`,
                    ],
                ],
            );
            // A scan by tag names the digest through RepoDigests.
            assert.equal(judge(trivy(r => (r.ArtifactName = "ghcr.io/synaptic-platform/synaptictrading/api:v1.4.0"))).passed, true);
            // The image ID is the config blob's digest, not the manifest's: it names nothing production pins.
            const byImageId = judge(
                trivy(r => ((r.ArtifactName = "api:local"), (r.Metadata.RepoDigests = []), (r.Metadata.ImageID = digest))),
            );
            assert.equal(byImageId.refusals[0].rule, "the report is for this digest");
        });

        it("refuses a stale scan, one without a date, and evidence dated after the gate's clock", () => {
            const stale = judge(trivy(), cleanK6, policy(), new Date(scannedAt + 15 * dayMs));
            assert.deepEqual(
                stale.refusals.map(r => [r.file.endsWith("trivy.json"), r.rule, r.found]),
                [[true, "the scan is at most 14 days old", "a scan from 2026-11-20T09:14:03.123456789Z (15.0 days old)"]],
            );
            assert.equal(
                judge(
                    trivy(),
                    cleanK6,
                    policy(p => (p.maxAgeDays = 30)),
                    new Date(scannedAt + 15 * dayMs),
                ).passed,
                true,
            );
            const future = judge(
                trivy(),
                file("k6-summary.json", fixture(summaries.handleSummary), scannedAt),
                policy(),
                new Date(scannedAt - dayMs),
            );
            assert.deepEqual(
                future.refusals.map(r => [r.rule, r.found]),
                [
                    [
                        "the scan is dated",
                        "CreatedAt 2026-11-20T09:14:03.123456789Z, later than the gate's clock (2026-11-19T09:14:03.000Z)",
                    ],
                    [
                        "the load test is dated",
                        "published 2026-11-20T09:14:03.000Z, later than the gate's clock (2026-11-19T09:14:03.000Z)",
                    ],
                ],
            );
            const undated = judge(trivy(r => delete r.CreatedAt));
            assert.deepEqual(
                undated.refusals.map(r => r.found),
                ["CreatedAt missing (Trivy before 0.48 does not write it)"],
            );
        });

        it("reads a report without Results (nothing found) as clean", () => {
            assert.equal(judge(trivy(r => delete r.Results)).passed, true);
            assert.equal(judge(trivy(r => (r.Results = [{ Target: "x", Class: "os-pkgs", Vulnerabilities: null }]))).passed, true);
        });

        it("refuses a missing report, and stops on a malformed one naming the file", () => {
            const missing = judge({ path: `evidence/${hex}/trivy.json` });
            assert.deepEqual(
                missing.refusals.map(r => r.rule),
                ["the image was scanned"],
            );
            assert.throws(
                () => judge({ path: "e/trivy.json", text: "{not json" }),
                (e: Error) => e.name === "UsageError" && /^e\/trivy\.json is not a Trivy JSON report .*: not JSON/.test(e.message),
            );
            assert.throws(
                () => judge(trivy(r => (r.SchemaVersion = 1))),
                (e: Error) =>
                    /trivy\.json is not a Trivy JSON report \(trivy image --format json, SchemaVersion 2\): at SchemaVersion/.test(
                        e.message,
                    ),
            );
            assert.throws(
                () => judge(trivy(r => (r.Results[0].Vulnerabilities[0].Severity = "SEVERE"))),
                /at Results\.0\.Vulnerabilities\.0\.Severity/,
            );
        });
    });

    for (const [form, name] of Object.entries(summaries)) {
        describe(`k6 summary (${form})`, () => {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            const summary = (edit: (s: any) => void = () => undefined, mtimeMs?: number) => {
                const json = fixture(name);
                edit(json);
                return file("k6-summary.json", json, mtimeMs);
            };
            // The forms differ only in where a metric keeps its values.
            const values = (s: any, metric: string) => (form === "handleSummary" ? s.metrics[metric].values : s.metrics[metric]); // eslint-disable-line @typescript-eslint/no-explicit-any
            const refusalsOf = (k: EvidenceFile) => judgeK6(k, policy(), now).map(r => `${r.rule}: ${r.found}`);

            it("passes the staging load test within the limits", () => {
                assert.deepEqual(refusalsOf(summary()), []);
            });

            it("refuses each breached limit in turn, recomputed from the values, not the run's own flags", () => {
                assert.deepEqual(refusalsOf(summary(s => (values(s, "http_req_duration")["p(95)"] = 500))), [
                    "http_req_duration p(95) < 500ms: p(95)=500.00ms",
                ]);
                assert.deepEqual(refusalsOf(summary(s => (values(s, "http_req_duration")["p(99)"] = 1204.5))), [
                    "http_req_duration p(99) < 1000ms: p(99)=1204.50ms",
                ]);
                const rate = form === "handleSummary" ? "rate" : "value";
                assert.deepEqual(refusalsOf(summary(s => (values(s, "http_req_failed")[rate] = 0.0125))), [
                    "http_req_failed rate < 0.01: rate=0.0125",
                ]);
                assert.deepEqual(refusalsOf(summary(s => (values(s, "order_execution_duration")["p(95)"] = 312.4))), [
                    "order_execution_duration p(95) < 300ms: p(95)=312.40ms",
                ]);
            });

            it("takes its limits and the order metric's name from config", () => {
                const strict = policy(p => ((p.loadTest.httpP95Ms = 300), (p.loadTest.orderExecutionMetric = "fill_latency")));
                assert.deepEqual(
                    judgeK6(summary(), strict, now).map(r => r.rule),
                    ["http_req_duration p(95) < 300ms", "fill_latency p(95) < 300ms"],
                );
            });

            it("refuses a summary without p(99), saying how to export it, and one without the order metric", () => {
                const [noP99] = refusalsOf(summary(s => delete values(s, "http_req_duration")["p(99)"]));
                assert.equal(
                    noP99,
                    'http_req_duration p(99) < 1000ms: no p(99) of http_req_duration in the summary; run k6 with --summary-trend-stats "avg,min,med,max,p(90),p(95),p(99)" (or options.summaryTrendStats) so the summary holds p(99)',
                );
                assert.deepEqual(refusalsOf(summary(s => delete s.metrics.order_execution_duration)), [
                    'order_execution_duration p(95) < 300ms: no order_execution_duration metric: record order execution in a Trend of that name (new Trend("order_execution_duration", true))',
                ]);
            });

            it("stops on figures k6 cannot write, a negative time or a rate outside 0..1, naming the file and the metric", () => {
                assert.throws(() => refusalsOf(summary(s => (values(s, "http_req_duration")["p(95)"] = -5))), {
                    name: "UsageError",
                    message: `evidence/${hex}/k6-summary.json is not a k6 end-of-test summary k6 could write: at metrics.http_req_duration p(95), expected a time of 0 ms or more; found -5`,
                });
                const rate = form === "handleSummary" ? "rate" : "value";
                assert.throws(
                    () => refusalsOf(summary(s => (values(s, "http_req_failed")[rate] = -0.5))),
                    /at metrics\.http_req_failed rate, expected a rate between 0 and 1; found -0\.5$/,
                );
                assert.throws(
                    () => refusalsOf(summary(s => (values(s, "http_req_failed")[rate] = 3))),
                    /expected a rate between 0 and 1; found 3$/,
                );
                assert.throws(
                    () => refusalsOf(summary(s => (values(s, "order_execution_duration")["p(95)"] = -0.01))),
                    /order_execution_duration p\(95\), expected a time of 0 ms or more/,
                );
            });

            it("refuses a stale summary by its publication time", () => {
                const published = scannedAt - 20 * dayMs;
                assert.deepEqual(refusalsOf(summary(undefined, published)), [
                    `the load test is at most 14 days old: a summary published ${new Date(published).toISOString()} (22.0 days old)`,
                ]);
            });
        });
    }

    it("ignores the run's own threshold verdicts: a summary whose flags all say 'passed' is still refused", () => {
        const json = fixture(summaries.handleSummary);
        json.metrics.http_req_duration.values["p(95)"] = 900;
        assert.equal(json.metrics.http_req_duration.thresholds["p(95)<500"].ok, true);
        assert.equal(judgeK6(file("k6-summary.json", json), policy(), now).length, 1);
    });

    describe("evidence directory", () => {
        const write = (dir: string, name: string, content: string, mtime = new Date(scannedAt + dayMs)) => {
            fs.mkdirSync(path.join(dir, hex), { recursive: true });
            fs.writeFileSync(path.join(dir, hex, name), content);
            fs.utimesSync(path.join(dir, hex, name), mtime, mtime);
        };

        it("judges each digest once from <dir>/<hex>/, and refuses missing files", () => {
            const dir = tempDir();
            write(dir, "trivy.json", fs.readFileSync(path.join(fixtures, "trivy.json"), "utf8"));
            write(dir, "k6-summary.json", fs.readFileSync(path.join(fixtures, summaries["--summary-export"]), "utf8"));
            const other = `ghcr.io/synaptic-platform/synaptictrading/worker@sha256:${"c3".repeat(32)}`;
            const verdicts = judgeEvidenceDir(dir, [image, other, image.replace("/api@", "/api-mirror@")], policy(), now);
            assert.deepEqual(
                verdicts.map(v => [v.digest, v.images.length, v.passed]),
                [
                    [digest, 2, true],
                    [`sha256:${"c3".repeat(32)}`, 1, false],
                ],
            );
            assert.deepEqual(
                verdicts[1].refusals.map(r => path.relative(dir, r.file)),
                [`${"c3".repeat(32)}/trivy.json`, `${"c3".repeat(32)}/k6-summary.json`],
            );
            assert.throws(() => judgeEvidenceDir(path.join(dir, "nope"), [image], policy(), now), /--evidence .*nope: no such directory/);
        });

        it("stops on a malformed summary, naming the file", () => {
            const dir = tempDir();
            write(dir, "trivy.json", fs.readFileSync(path.join(fixtures, "trivy.json"), "utf8"));
            write(dir, "k6-summary.json", JSON.stringify({ root_group: {} }));
            assert.throws(
                () => judgeEvidenceDir(dir, [image], policy(), now),
                (e: Error) =>
                    e.message ===
                    `${path.join(dir, hex, "k6-summary.json")} is not a k6 end-of-test summary (k6 run --summary-export, or handleSummary's data as JSON): at metrics, Invalid input: expected record, received undefined`,
            );
        });

        it("renders a markdown summary with one row per digest and its verdict", () => {
            const md = renderEvidenceMarkdown([judge(trivy()), { ...judge(withCritical()), digest: `sha256:${"d4".repeat(32)}` }]);
            assert.match(md, /^## Release evidence\n\n\*\*1 of 2 new image\(s\) refused\.\*\*\n/);
            assert.match(
                md,
                new RegExp(`\\| \`${digest}\` \\| ${image.replace(/[.]/g, "\\.")} \\| ✅ pass \\| warning: HIGH CVE-2024-47874`),
            );
            assert.match(
                md,
                /\| `sha256:d4d4.*` \| .* \| ❌ refused \| refused: `evidence\/a1.*\/trivy\.json`: no CRITICAL or higher finding; found CRITICAL CVE-2024-45337/,
            );
        });
    });

    describe("the committed production config and the CLI", () => {
        it("reads the gate's settings and the store from Pulumi.production.yaml", () => {
            const config = readReleaseEvidenceConfig(repoRoot);
            assert.equal(config.scan.blockSeverity, "CRITICAL");
            assert.deepEqual(config.loadTest, {
                httpP95Ms: 500,
                httpP99Ms: 1000,
                httpErrorRate: 0.01,
                orderExecutionMetric: "order_execution_duration",
                orderExecutionP95Ms: 300,
            });
            assert.equal(config.maxAgeDays, 14);
            assert.deepEqual(evidenceSources(config, [image]), [
                { hex, uri: `s3://${config.store.bucketName}/${config.store.prefix}/${hex}/` },
            ]);
        });

        it("exits 0, 1 and 2 with --plan and --evidence alone, and writes the job summary", async () => {
            const dir = tempDir();
            const plan = path.join(dir, "plan.json");
            fs.writeFileSync(
                plan,
                JSON.stringify({
                    kind: "trading-platform/plan",
                    schemaVersion: PLAN_SCHEMA_VERSION,
                    stack: "production",
                    outputs: { deployedImages: [image] },
                    resources: [],
                    summary: {},
                }),
            );
            const evidence = (name: string, report: unknown, k6: unknown) => {
                const at = path.join(dir, name, hex);
                fs.mkdirSync(at, { recursive: true });
                fs.writeFileSync(path.join(at, "trivy.json"), JSON.stringify(report));
                fs.writeFileSync(path.join(at, "k6-summary.json"), JSON.stringify(k6));
                return path.join(dir, name);
            };
            // The CLI reads the real clock: these reports are dated now.
            const fresh = { ...fixture("trivy.json"), CreatedAt: new Date().toISOString() };
            const good = evidence("good", fresh, fixture(summaries.handleSummary));
            const refusedDir = evidence(
                "refused",
                { ...fresh, Results: [{ Target: "app/bin/api", Vulnerabilities: [critical()] }] },
                fixture(summaries["--summary-export"]),
            );
            const malformed = evidence("malformed", fresh, "<html>");
            const summary = path.join(dir, "summary.md");
            const [open, refused, bad] = await Promise.all([
                runTool("promotionGate", ["--plan", plan, "--evidence", good]),
                runTool("promotionGate", ["--plan", plan, "--evidence", refusedDir, "--summary", summary]),
                runTool("promotionGate", ["--plan", plan, "--evidence", malformed]),
            ]);
            assert.equal(open.code, 0, open.stderr);
            assert.match(open.stdout, /^PASS sha256:a1a1.*\n.*warning: HIGH CVE-2024-47874[^]*Production may be promoted\.\n$/);
            assert.equal(refused.code, 1, refused.stderr);
            assert.match(
                refused.stderr,
                new RegExp(
                    `^Promotion refused: 1 of 1 new image\\(s\\) lack passing release evidence:\nREFUSED ${digest} .*\n  refused: .*${hex}/trivy\\.json: no CRITICAL or higher finding; found CRITICAL CVE-2024-45337`,
                ),
            );
            assert.match(fs.readFileSync(summary, "utf8"), /❌ refused/);
            assert.equal(bad.code, 2);
            assert.match(bad.stderr, /k6-summary\.json is not a k6 end-of-test summary .*: at \(top level\)/);
            assert.doesNotMatch(bad.stderr, /\n\s+at /, "no stack trace");
        });
    });
});
