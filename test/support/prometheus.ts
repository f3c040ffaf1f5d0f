// A throwaway Prometheus holding series written by MetricSeries: backfilled into blocks with promtool,
// then served on a free local port with no scrape jobs, so queries at the series' (past) times answer
// from the blocks alone. Debian's `prometheus` package provides both binaries (debianServers.ts brings it).
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { serverBinary } from "./debianServers";
import { goRuntimeEnv, LoopbackServer, startLoopbackServer } from "./loopbackServer";

export type RunningPrometheus = LoopbackServer;

const NOT_INSTALLED = "prometheus is not installed: npm test fetches Debian's package before the tests (test/support/debianServers.ts)";
const STDERR_KEPT = 8_000;

function run(binary: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
        execFile(binary, args, { maxBuffer: 16 * 1024 * 1024, env: goRuntimeEnv() }, (error, stdout, stderr) => {
            if (error) {
                reject(
                    new Error(
                        `${binary} ${args.join(" ")} failed (${error.code ?? error.signal}): ${(stderr || stdout).trim().slice(-STDERR_KEPT)}`,
                    ),
                );
            } else resolve();
        });
    });
}

export async function startPrometheus(openMetrics: string): Promise<RunningPrometheus> {
    const prometheus = serverBinary("prometheus");
    const promtool = serverBinary("promtool");
    if (!prometheus || !promtool) throw new Error(NOT_INSTALLED);
    return startLoopbackServer({
        name: "prometheus",
        binary: prometheus,
        notInstalled: NOT_INSTALLED,
        tempPrefix: "trading-platform-prometheus-",
        prepare: async (dir, port) => {
            const dataDir = path.join(dir, "data");
            const seriesFile = path.join(dir, "series.om");
            fs.writeFileSync(seriesFile, openMetrics);
            await run(promtool, ["tsdb", "create-blocks-from", "openmetrics", seriesFile, dataDir]);
            const configFile = path.join(dir, "prometheus.yml");
            fs.writeFileSync(configFile, "# No scrape jobs: every series comes from the backfilled blocks.\nscrape_configs: []\n");
            return [
                `--config.file=${configFile}`,
                `--storage.tsdb.path=${dataDir}`,
                // The series lie in the past: a retention shorter than their age would delete them at startup.
                "--storage.tsdb.retention.time=100y",
                `--web.listen-address=127.0.0.1:${port}`,
            ];
        },
    });
}

/**
 * A throwaway Prometheus scraping `targets` live every `scrapeInterval` (labels as exposed: the targets
 * stand for the cluster's exporters, which label their own series).
 */
export async function startScrapingPrometheus(targets: string[], scrapeInterval: string): Promise<RunningPrometheus> {
    const prometheus = serverBinary("prometheus");
    if (!prometheus) throw new Error(NOT_INSTALLED);
    return startLoopbackServer({
        name: "prometheus",
        binary: prometheus,
        notInstalled: NOT_INSTALLED,
        tempPrefix: "trading-platform-prometheus-live-",
        prepare: async (dir, port) => {
            const configFile = path.join(dir, "prometheus.yml");
            fs.writeFileSync(
                configFile,
                [
                    "global:",
                    `  scrape_interval: ${scrapeInterval}`,
                    `  scrape_timeout: ${scrapeInterval}`,
                    "scrape_configs:",
                    "  - job_name: cluster",
                    "    honor_labels: true",
                    `    static_configs: [{ targets: [${targets.map(t => JSON.stringify(t)).join(", ")}] }]`,
                    "",
                ].join("\n"),
            );
            return [
                `--config.file=${configFile}`,
                `--storage.tsdb.path=${path.join(dir, "data")}`,
                `--web.listen-address=127.0.0.1:${port}`,
            ];
        },
    });
}
