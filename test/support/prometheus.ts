// A throwaway Prometheus holding series written by MetricSeries: backfilled into blocks with promtool,
// then served on a free local port with no scrape jobs, so queries at the series' (past) times answer
// from the blocks alone. Debian's `prometheus` package provides both binaries (.ci/run installs it).
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { LoopbackServer, startLoopbackServer } from "./loopbackServer";

export type RunningPrometheus = LoopbackServer;

const NOT_INSTALLED = "prometheus is not installed: apt-get install -y prometheus (.ci/run installs it)";
const STDERR_KEPT = 8_000;

function onPath(binary: string): boolean {
    return (process.env.PATH ?? "").split(path.delimiter).some(dir => {
        try {
            fs.accessSync(path.join(dir, binary), fs.constants.X_OK);
            return true;
        } catch {
            return false;
        }
    });
}

function run(binary: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
        execFile(binary, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (error) reject(new Error(`${binary} ${args.join(" ")} failed (${error.code ?? error.signal}): ${(stderr || stdout).trim().slice(-STDERR_KEPT)}`));
            else resolve();
        });
    });
}

export async function startPrometheus(openMetrics: string): Promise<RunningPrometheus> {
    if (!onPath("prometheus") || !onPath("promtool")) throw new Error(NOT_INSTALLED);
    return startLoopbackServer({
        name: "prometheus",
        binary: "prometheus",
        notInstalled: NOT_INSTALLED,
        tempPrefix: "trading-platform-prometheus-",
        prepare: async (dir, port) => {
            const dataDir = path.join(dir, "data");
            const seriesFile = path.join(dir, "series.om");
            fs.writeFileSync(seriesFile, openMetrics);
            await run("promtool", ["tsdb", "create-blocks-from", "openmetrics", seriesFile, dataDir]);
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
