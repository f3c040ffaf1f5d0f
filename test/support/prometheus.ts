// A throwaway Prometheus holding series written by MetricSeries: backfilled into blocks with promtool,
// then served on a free local port with no scrape jobs, so queries at the series' (past) times answer
// from the blocks alone. Debian's `prometheus` package provides both binaries (.ci/run installs it).
import { ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export interface RunningPrometheus {
    /** http://127.0.0.1:<port>, no trailing slash. */
    url: string;
    /** Kills the server and removes its data; safe to call twice. */
    stop(): Promise<void>;
}

const NOT_INSTALLED = "prometheus is not installed: apt-get install -y prometheus (.ci/run installs it)";
/** Outer limit for startup: generous, as the machine is shared; the server's exit ends the wait sooner. */
const READY_LIMIT_MS = 60_000;
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

/** A port free now on 127.0.0.1 (the kernel's choice for port 0). */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function ready(url: string): Promise<boolean> {
    try {
        const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(5_000) });
        await response.arrayBuffer();
        return response.status === 200;
    } catch {
        return false;
    }
}

export async function startPrometheus(openMetrics: string): Promise<RunningPrometheus> {
    if (!onPath("prometheus") || !onPath("promtool")) throw new Error(NOT_INSTALLED);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trading-platform-prometheus-"));
    const dataDir = path.join(dir, "data");
    let child: ChildProcess | undefined;
    let exited: Promise<void> = Promise.resolve();
    // Also on an aborted run: no server or data left behind by a test process that exits without stop().
    const killOnExit = () => {
        child?.kill("SIGKILL");
        fs.rmSync(dir, { recursive: true, force: true });
    };
    process.once("exit", killOnExit);
    const stop = async () => {
        process.removeListener("exit", killOnExit);
        if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        // Awaiting the exit reaps the child, so its CPU time counts in this process' rusage.
        await exited;
        fs.rmSync(dir, { recursive: true, force: true });
    };

    try {
        const seriesFile = path.join(dir, "series.om");
        fs.writeFileSync(seriesFile, openMetrics);
        await run("promtool", ["tsdb", "create-blocks-from", "openmetrics", seriesFile, dataDir]);
        const configFile = path.join(dir, "prometheus.yml");
        fs.writeFileSync(configFile, "# No scrape jobs: every series comes from the backfilled blocks.\nscrape_configs: []\n");

        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        const spawned = spawn(
            "prometheus",
            [
                `--config.file=${configFile}`,
                `--storage.tsdb.path=${dataDir}`,
                // The series lie in the past: a retention shorter than their age would delete them at startup.
                "--storage.tsdb.retention.time=100y",
                `--web.listen-address=127.0.0.1:${port}`,
            ],
            { stdio: ["ignore", "ignore", "pipe"] },
        );
        child = spawned;
        let stderr = "";
        spawned.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEPT)));
        let exit: string | undefined;
        exited = new Promise(resolve => {
            spawned.once("error", error => {
                exit = (error as NodeJS.ErrnoException).code === "ENOENT" ? NOT_INSTALLED : error.message;
                resolve();
            });
            spawned.once("exit", (code, signal) => {
                exit ??= `exited (${code ?? signal})`;
                resolve();
            });
        });

        const deadline = Date.now() + READY_LIMIT_MS;
        for (;;) {
            if (exit !== undefined) throw new Error(`prometheus did not start: ${exit}\n${stderr.trim()}`);
            if (await ready(url)) return { url, stop };
            if (Date.now() > deadline) throw new Error(`prometheus at ${url} was not ready within ${READY_LIMIT_MS / 1000} s\n${stderr.trim()}`);
            // Short pauses between polls; the process' exit (watched above) ends the wait at once.
            await Promise.race([pause(100), exited]);
        }
    } catch (error) {
        await stop();
        throw error;
    }
}
