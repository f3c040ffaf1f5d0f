import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { RecordEntry } from "../../../../tools/promote/types";
import { runTool, tempDir } from "../../../support/cli";
import { MetricSeries } from "../../../support/metricSeries";
import { parseXyCharts } from "../../../support/mermaid";
import { startPrometheus } from "../../../support/prometheus";
import { repoRoot } from "../../../support/stackConfig";

// `npm run promote` end to end in process: bad input is refused before anything runs (exit 2), and a
// full rehearsal against a real Prometheus walks the committed production stack's services.

const T0 = new Date("2026-11-17T15:00:00Z"); // Tuesday, 10:00 in New York: the window is open
/** A rehearsal of production from T0, as most cases run it. */
const rehearsal = ["--stack", "production", "--rehearse", "--from", T0.toISOString()];
const productionFile = path.join(repoRoot, "Pulumi.production.yaml");
const committedText = fs.readFileSync(productionFile, "utf8");

/** A copy of the production stack file with `edit` applied to its text. */
function stackFile(edit: (text: string) => string = text => text): string {
    const file = path.join(tempDir(), "Pulumi.production.yaml");
    fs.writeFileSync(file, edit(fs.readFileSync(productionFile, "utf8")));
    return file;
}

describe("npm run promote", () => {
    describe("refuses bad input with exit 2, naming what was expected", () => {
        const cases: [string, string[], RegExp][] = [
            ["no --stack", [], /--stack is required/],
            [
                "staging",
                ["--stack", "staging"],
                /--stack staging: only a production stack promotes step by step \(staging rolls its services\)/,
            ],
            ["an unknown stack", ["--stack", "prod"], /--stack prod: only a production stack/],
            ["--rehearse without --from", ["--stack", "production", "--rehearse"], /--rehearse needs --from ISO-TIME/],
            [
                "a --from that is no time",
                ["--stack", "production", "--rehearse", "--from", "yesterday"],
                /--from yesterday: expected an ISO 8601 time/,
            ],
            [
                "a --from without a time zone",
                ["--stack", "production", "--rehearse", "--from", "2026-11-17T15:00:00"],
                /--from 2026-11-17T15:00:00: expected a time zone \(Z or ±hh:mm\), e\.g\. 2026-11-17T15:00:00Z/,
            ],
            ["--from on a live run", ["--stack", "production", "--from", "2026-11-17T15:00:00Z"], /--from is for --rehearse/],
            [
                "--rollback in a rehearsal",
                ["--stack", "production", "--rehearse", "--from", "2026-11-17T15:00:00Z", "--rollback"],
                /--rollback acts on the live stack/,
            ],
            [
                "a malformed --services",
                ["--stack", "production", "--services", "api,,websocket"],
                /--services "api,,websocket": expected service names separated by commas/,
            ],
            ["a service twice", ["--stack", "production", "--services", "api,api"], /--services names api twice/],
            [
                "a bad --prometheus",
                ["--stack", "production", "--rehearse", "--from", "2026-11-17T15:00:00Z", "--prometheus", "prometheus:9090"],
                /--prometheus prometheus:9090: expected an http\(s\) URL/,
            ],
            [
                "a missing stack file",
                [
                    "--stack",
                    "production",
                    "--rehearse",
                    "--from",
                    "2026-11-17T15:00:00Z",
                    "--stack-file",
                    "/nonexistent/Pulumi.production.yaml",
                ],
                /Stack file \/nonexistent\/Pulumi\.production\.yaml does not exist/,
            ],
        ];
        for (const [name, args, message] of cases) {
            it(name, async () => {
                const result = await runTool("promote", args);
                assert.equal(result.code, 2, result.stdout + result.stderr);
                assert.match(result.stderr, message);
                assert.equal(result.stdout, "");
            });
        }

        it("a bad promotion section, with the plan's errors: stack, key, expected, found", async () => {
            const file = stackFile(text => text.replace("    interval: 30s\n", "    interval: half a minute\n"));
            const result = await runTool("promote", [...rehearsal, "--stack-file", file]);
            assert.equal(result.code, 2);
            assert.match(
                result.stderr,
                /- production: trading-platform:promotion\.interval: expected a duration such as 30s, 5m or 1h; found "half a minute"/,
            );
        });

        it("a position no step sequence reaches, in one line saying what to run; a service that is not blue-green", async () => {
            const edited = stackFile(text =>
                text.replace("      - { weight: 25, watch: 10m }\n", "").replace(/^( {10}weight:) 5$/m, "$1 25"),
            );
            const result = await runTool("promote", [...rehearsal, "--stack-file", edited]);
            assert.equal(result.code, 2, result.stdout + result.stderr);
            assert.match(
                result.stderr,
                /^api is at weight 25 %, which promotion\.steps \(5, 50, 100 %\) never reaches: take it back to 0 first with npm run promote -- --stack production --rollback --services api --reason "off the promotion's steps", then promote again\n/,
            );
            const worker = await runTool("promote", [...rehearsal, "--services", "worker"]);
            assert.equal(worker.code, 2);
            assert.match(
                worker.stderr,
                /--services: worker is not a blue-green service of production \(blue-green there: api, websocket, fix-gateway\)/,
            );
        });

        it("pre-flight refuses, with nothing changed, a service whose candidate has no image", async () => {
            // fix-gateway's candidate (blue) has no image: named, its plan at 100 % fails before any update.
            const named = await runTool("promote", [...rehearsal, "--services", "fix-gateway", "--prometheus", "http://127.0.0.1:9"]);
            assert.equal(named.code, 2, named.stdout + named.stderr);
            assert.match(
                named.stderr,
                /^pre-flight: the offline plan of step 100 % \(fix-gateway 100 %\) fails, so the run would too; nothing changed: .*weight 100 sends traffic to blue, which has no image/,
            );
            // Left to choose, the release leaves it out and says so.
            assert.ok(!/refus/.test(named.stdout));
        });

        it("never prints credentials given in the Prometheus URL", async () => {
            const result = await runTool("promote", [...rehearsal, "--prometheus", "http://promote:s3cret-pass@127.0.0.1:9"]);
            assert.equal(result.code, 3, "Prometheus does not answer: the candidate at 5 % is withdrawn");
            assert.match(
                result.stdout,
                /^fix-gateway: left out: its candidate colour blue has no image in Pulumi\.production\.yaml \(nothing to promote\)$/m,
            );
            assert.match(result.stdout, /Prometheus http:\/\/127\.0\.0\.1:9/);
            assert.match(result.stdout, /^WITHDRAWN: Prometheus does not answer/m);
            assert.ok(!(result.stdout + result.stderr).includes("s3cret-pass"), result.stdout + result.stderr);
        });

        it("a live run names a missing Pulumi CLI, and a missing notification credential is only a warning", async () => {
            const saved = process.env.PATH;
            process.env.PATH = tempDir();
            try {
                const result = await runTool("promote", ["--stack", "production"], {});
                assert.equal(result.code, 2);
                assert.match(
                    result.stderr,
                    /^warning: GRAFANA_API_TOKEN is not set: trading-platform:promotion\.notifications\.grafana is configured, but sends nothing this run/m,
                );
                assert.match(result.stderr, /^warning: PAGERDUTY_ROUTING_KEY is not set/m);
                assert.match(
                    result.stderr,
                    /^warning: SLACK_WEBHOOK_URL is not set: trading-platform:promotion\.notifications\.slack is configured, but sends nothing this run/m,
                );
                assert.match(result.stderr, /^the Pulumi CLI is not installed here \(no `pulumi` on PATH\)/m);
            } finally {
                process.env.PATH = saved;
            }
        });
    });

    describe("rehearsal against a real Prometheus", () => {
        let prometheus: { url: string; stop(): Promise<void> };
        before(async () => {
            const series = new MetricSeries();
            const from = new Date(T0.getTime() - 5 * 60_000);
            const to = new Date(T0.getTime() + 50 * 60_000);
            for (const service of ["api", "websocket"]) {
                for (const colour of ["blue", "green"]) series.httpTraffic({ namespace: "trading-prod", service, colour, from, to });
                series.restarts({ namespace: "trading-prod", pod: `${service}-green-5d9f8-abcde`, from, to, total: () => 0 });
                series.probes({ namespace: "trading-prod", pod: `${service}-green-5d9f8-abcde`, from, to, failedTotal: () => 0 });
            }
            prometheus = await startPrometheus(series.toOpenMetrics());
        });
        after(async () => prometheus?.stop());

        it("rehearses the README's command on the committed stack file: websocket catches up with api, then both walk the default steps, each update an offline plan the whole pack passes, in under 20 s of CPU", async () => {
            const dir = tempDir();
            const record = path.join(dir, "record.jsonl");
            const summary = path.join(dir, "summary.md");
            // The README's own command line, pointed at this Prometheus.
            const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
            const command = /^npm run promote -- (--stack production --rehearse .*?)\s*$/m.exec(readme)?.[1];
            assert.ok(command, "the README shows a rehearsal command");
            const args = command.split(/\s+/).map(a => (a.startsWith("http://127.0.0.1:9090") ? prometheus.url : a));
            const started = process.hrtime.bigint();
            const cpu = process.cpuUsage();
            const result = await runTool("promote", [...args, "--record", record, "--summary", summary]);
            const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
            const used = process.cpuUsage(cpu);
            assert.equal(result.code, 0, result.stdout + result.stderr);
            // CPU, not wall time: a loaded machine stretches the one, never the other.
            const cpuSeconds = (used.user + used.system) / 1e6;
            assert.ok(cpuSeconds < 20, `a full rehearsal took ${cpuSeconds.toFixed(1)} s of CPU`);
            console.log(`      (full rehearsal: ${(wallMs / 1000).toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU in this process)`);

            const entries = fs
                .readFileSync(record, "utf8")
                .trim()
                .split("\n")
                .map(line => JSON.parse(line) as RecordEntry);
            for (const e of entries) {
                assert.deepEqual(Object.keys(e).slice(0, 6), ["at", "service", "weight", "event", "values", "reason"]);
                assert.ok(
                    ["preflight", "smoke", "step", "check", "rollback", "withdraw", "hold", "promoted", "finalized", "failed"].includes(
                        e.event,
                    ),
                );
            }
            const decisions = (service: string) =>
                entries.filter(e => e.service === service && e.event !== "check").map(e => `${e.at.slice(11, 19)} ${e.event} ${e.weight}`);
            assert.deepEqual(decisions("api"), [
                "15:00:00 preflight 5",
                "15:00:00 step 5",
                "15:05:00 step 25",
                "15:15:00 step 50",
                "15:30:00 step 100",
                "15:40:00 promoted 100",
                "15:40:30 finalized 100",
            ]);
            assert.deepEqual(decisions("websocket").slice(0, 3), ["15:00:00 preflight 0", "15:00:00 smoke 0", "15:00:00 step 5"]);
            assert.deepEqual(
                entries.filter(e => e.service === "fix-gateway"),
                [],
                "fix-gateway has no candidate: left out",
            );
            // Each update's targets are its services' traffic objects; the record keeps them and each query as sent.
            const step = entries.find(e => e.event === "step" && e.service === "api" && e.weight === 25);
            assert.ok(
                step?.targets?.length && step.targets.every(t => /BlueGreenService\$kubernetes:/.test(t)),
                JSON.stringify(step?.targets),
            );
            assert.match(step?.queries?.["trigger:errorRate"] ?? "", /namespace="trading-prod",service="api",colour="green"/);
            assert.match(result.stdout, /^Pre-flight: 8 positions planned offline with the pack/m);
            assert.match(result.stdout, /offline plan of .*: \d+ resources, \d+ targets, the pack passed/);
            assert.match(result.stdout, /PROMOTED: every service at 100 % and finalized/);
            const markdown = fs.readFileSync(summary, "utf8");
            assert.match(markdown, /^## Promotion of production \(rehearsal\): promoted/);
            assert.match(markdown, /\| websocket \| websocket-green-smoke-[0-9a-f]{10} \| planned \|/);
            // The picture of the run: valid charts, each trigger against the limit the walk judged it by.
            const { charts, problems } = parseXyCharts(markdown);
            assert.deepEqual(problems, []);
            const errorRate = charts.find(c => c.title === "api trigger:errorRate: value, then the limit 0.05");
            assert.ok(errorRate && errorRate.lines[1].every(v => v === 0.05), charts.map(c => c.title).join("\n"));
            assert.deepEqual([...new Set(charts.find(c => c.title?.startsWith("websocket:"))?.lines[0])], [5, 25, 50, 100]);
            // Without --stack-file, the committed file is read, never written.
            assert.equal(fs.readFileSync(productionFile, "utf8"), committedText);
        });

        it("pre-flight refuses a query Prometheus cannot parse: exit 2, and nothing changed", async () => {
            const file = stackFile(text =>
                text.replace(
                    "    notifications:\n",
                    '    triggers:\n      orderRejects: { query: "sum(rate(orders_rejected_total{service=\\"{{service}}\\"}[2m]", above: 1 }\n    notifications:\n',
                ),
            );
            const before = fs.readFileSync(file, "utf8");
            const result = await runTool("promote", [...rehearsal, "--prometheus", prometheus.url, "--stack-file", file]);
            assert.equal(result.code, 2, result.stdout + result.stderr);
            assert.match(
                result.stderr,
                /^pre-flight: Prometheus refuses 2 queries; nothing changed: api trigger:orderRejects: Prometheus refused the query \(HTTP 400, bad_data\): .*parse error.*; websocket trigger:orderRejects: /,
            );
            assert.equal(fs.readFileSync(file, "utf8"), before);
        });

        it("with --stack-file, writes each update's positions into that file, comments kept", async () => {
            const file = stackFile();
            const result = await runTool("promote", [...rehearsal, "--prometheus", prometheus.url, "--stack-file", file]);
            assert.equal(result.code, 0, result.stdout + result.stderr);
            const written = fs.readFileSync(file, "utf8");
            const deployments = (
                parseYaml(written) as {
                    config: Record<string, { services: Record<string, { blueGreen: { weight: number; finalize?: boolean } }> }>;
                }
            ).config["trading-platform:deployments"];
            assert.deepEqual(
                [deployments.services.api.blueGreen, deployments.services.websocket.blueGreen].map(b => [b.weight, b.finalize]),
                [
                    [100, true],
                    [100, true],
                ],
            );
            assert.match(written, /# Metric-gated promotion \(npm run promote/);
        });
    });
});
