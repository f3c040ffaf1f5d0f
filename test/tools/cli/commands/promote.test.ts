import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { RecordEntry } from "../../../../tools/promote/types";
import { runTool, tempDir } from "../../../support/cli";
import { MetricSeries } from "../../../support/metricSeries";
import { startPrometheus } from "../../../support/prometheus";
import { repoRoot } from "../../../support/stackConfig";

// `npm run promote` end to end in process: bad input is refused before anything runs (exit 2), and a
// full rehearsal against a real Prometheus walks the committed production stack's services.

const T0 = new Date("2026-11-17T15:00:00Z"); // Tuesday, 10:00 in New York: the window is open
const productionFile = path.join(repoRoot, "Pulumi.production.yaml");

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
            ["staging", ["--stack", "staging"], /--stack staging: only a production stack promotes step by step \(staging rolls its services\)/],
            ["an unknown stack", ["--stack", "prod"], /--stack prod: only a production stack/],
            ["--rehearse without --from", ["--stack", "production", "--rehearse"], /--rehearse needs --from ISO-TIME/],
            ["a --from that is no time", ["--stack", "production", "--rehearse", "--from", "yesterday"], /--from yesterday: expected an ISO 8601 time/],
            ["--from on a live run", ["--stack", "production", "--from", "2026-11-17T15:00:00Z"], /--from is for --rehearse/],
            ["--rollback in a rehearsal", ["--stack", "production", "--rehearse", "--from", "2026-11-17T15:00:00Z", "--rollback"], /--rollback acts on the live stack/],
            ["a malformed --services", ["--stack", "production", "--services", "api,,websocket"], /--services "api,,websocket": expected service names separated by commas/],
            ["a service twice", ["--stack", "production", "--services", "api,api"], /--services names api twice/],
            ["a bad --prometheus", ["--stack", "production", "--rehearse", "--from", "2026-11-17T15:00:00Z", "--prometheus", "prometheus:9090"], /--prometheus prometheus:9090: expected an http\(s\) URL/],
            ["a missing stack file", ["--stack", "production", "--rehearse", "--from", "2026-11-17T15:00:00Z", "--stack-file", "/nonexistent/Pulumi.production.yaml"], /Stack file \/nonexistent\/Pulumi\.production\.yaml does not exist/],
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
            const result = await runTool("promote", ["--stack", "production", "--rehearse", "--from", T0.toISOString(), "--stack-file", file]);
            assert.equal(result.code, 2);
            assert.match(result.stderr, /- production: trading-platform:promotion\.interval: expected a duration such as 30s, 5m or 1h; found "half a minute"/);
        });

        it("services at different steps, and a service that is not blue-green", async () => {
            // The committed file is mid-canary: api at 5 %, websocket staged at 0 %.
            const split = await runTool("promote", ["--stack", "production", "--rehearse", "--from", T0.toISOString(), "--prometheus", "http://127.0.0.1:9"]);
            assert.equal(split.code, 2);
            assert.match(split.stderr, /services promoted together must stand at the same step; found api at 5 %, websocket at 0 %, fix-gateway at 0 %/);
            const worker = await runTool("promote", ["--stack", "production", "--rehearse", "--from", T0.toISOString(), "--services", "worker"]);
            assert.equal(worker.code, 2);
            assert.match(worker.stderr, /--services: worker is not a blue-green service of production \(blue-green there: api, websocket, fix-gateway\)/);
        });

        it("never prints credentials given in the Prometheus URL", async () => {
            const result = await runTool("promote", ["--stack", "production", "--rehearse", "--from", T0.toISOString(), "--prometheus", "http://promote:s3cret-pass@127.0.0.1:9"]);
            assert.equal(result.code, 2, "the committed file's services stand at different steps");
            assert.match(result.stdout, /Prometheus http:\/\/127\.0\.0\.1:9/);
            assert.ok(!(result.stdout + result.stderr).includes("s3cret-pass"), result.stdout + result.stderr);
        });

        it("a configured notification without its credential in the environment (live run)", async () => {
            const result = await runTool("promote", ["--stack", "production"], { PATH: process.env.PATH });
            assert.equal(result.code, 2);
            assert.match(result.stderr, /GRAFANA_API_TOKEN/);
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

        it("rehearses the seed's four steps for two services through `npm run promote`, each step an offline plan the whole pack passes, in under 20 s", async () => {
            const dir = tempDir();
            // Staged: the new digests on green at 0 % (the committed file is mid-canary at api 5 %).
            const file = stackFile(text => text.replace(/^( {10}weight:) 5$/m, "$1 0"));
            const record = path.join(dir, "record.jsonl");
            const summary = path.join(dir, "summary.md");
            const started = process.hrtime.bigint();
            const cpu = process.cpuUsage();
            const result = await runTool("promote", [
                "--stack", "production", "--services", "api,websocket", "--rehearse", "--prometheus", prometheus.url,
                "--from", T0.toISOString(), "--stack-file", file, "--record", record, "--summary", summary,
            ]);
            const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
            const used = process.cpuUsage(cpu);
            assert.equal(result.code, 0, result.stdout + result.stderr);
            assert.ok(wallMs < 20_000, `a full rehearsal took ${Math.round(wallMs)} ms of wall time`);
            console.log(`      (full rehearsal: ${(wallMs / 1000).toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU in this process)`);

            const entries = fs.readFileSync(record, "utf8").trim().split("\n").map(line => JSON.parse(line) as RecordEntry);
            for (const e of entries) {
                assert.deepEqual(Object.keys(e), ["at", "service", "weight", "event", "values", "reason"]);
                assert.ok(["step", "check", "rollback", "hold", "promoted", "finalized"].includes(e.event));
            }
            assert.deepEqual(
                entries.filter(e => e.service === "api" && e.event !== "check").map(e => `${e.at.slice(11, 16)} ${e.event} ${e.weight}`),
                ["15:00 step 5", "15:05 step 25", "15:15 step 50", "15:30 step 100", "15:40 promoted 100", "15:40 finalized 100"],
            );
            assert.match(result.stdout, /offline plan: \d+ resources, the pack passed/);
            assert.match(result.stdout, /PROMOTED: every service at 100 % and finalized/);
            assert.match(fs.readFileSync(summary, "utf8"), /^## Promotion of production \(rehearsal\): promoted/);
            // The stack file now says what runs, comments kept.
            const written = fs.readFileSync(file, "utf8");
            const deployments = (parseYaml(written) as { config: Record<string, { services: Record<string, { blueGreen: { weight: number; finalize?: boolean } }> }> }).config["trading-platform:deployments"];
            assert.deepEqual([deployments.services.api.blueGreen, deployments.services.websocket.blueGreen].map(b => [b.weight, b.finalize]), [[100, true], [100, true]]);
            assert.match(written, /# Metric-gated promotion \(npm run promote/);
        });
    });
});
