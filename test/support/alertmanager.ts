// A throwaway Alertmanager on a free local port: one receiver that sends nowhere, its own storage
// directory, clustering off. Debian's `prometheus-alertmanager` package provides the binary (.ci/run
// installs it).
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export interface RunningAlertmanager {
    /** http://127.0.0.1:<port>, no trailing slash. */
    url: string;
    /** Kills the server and removes its data; safe to call twice. */
    stop(): Promise<void>;
}

const BINARY = "/usr/bin/prometheus-alertmanager";
const NOT_INSTALLED = `${BINARY} is not installed: apt-get install -y prometheus-alertmanager (.ci/run installs it)`;
/** Outer limit for startup: generous, as the machine is shared; the server's exit ends the wait sooner. */
const READY_LIMIT_MS = 60_000;
const STDERR_KEPT = 8_000;
const CONFIG = ["# One receiver with no integrations: alerts and silences are kept, nothing is sent.", "route:", "  receiver: nowhere", "receivers:", "  - name: nowhere", ""].join("\n");

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

export async function startAlertmanager(): Promise<RunningAlertmanager> {
    try {
        fs.accessSync(BINARY, fs.constants.X_OK);
    } catch {
        throw new Error(NOT_INSTALLED);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trading-platform-alertmanager-"));
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
        const configFile = path.join(dir, "alertmanager.yml");
        fs.writeFileSync(configFile, CONFIG);
        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        const spawned = spawn(
            BINARY,
            [
                `--config.file=${configFile}`,
                `--storage.path=${path.join(dir, "data")}`,
                `--web.listen-address=127.0.0.1:${port}`,
                // Empty: no gossip listener, so no second port and no wait for peers to settle.
                "--cluster.listen-address=",
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
            if (exit !== undefined) throw new Error(`alertmanager did not start: ${exit}\n${stderr.trim()}`);
            if (await ready(url)) return { url, stop };
            if (Date.now() > deadline) throw new Error(`alertmanager at ${url} was not ready within ${READY_LIMIT_MS / 1000} s\n${stderr.trim()}`);
            // Short pauses between polls; the process' exit (watched above) ends the wait at once.
            await Promise.race([pause(100), exited]);
        }
    } catch (error) {
        await stop();
        throw error;
    }
}
