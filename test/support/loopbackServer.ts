// A throwaway server from Debian's packages (Prometheus, Alertmanager) on a free loopback port, with its
// own temporary directory: started, waited on until `/-/ready` answers, killed and removed after.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export interface LoopbackServer {
    /** http://127.0.0.1:<port>, no trailing slash. */
    url: string;
    /** Kills the server and removes its directory; safe to call twice. */
    stop(): Promise<void>;
}

/** Outer limit for startup: generous, as the machine is shared; the server's exit ends the wait sooner. */
const READY_LIMIT_MS = 60_000;
const STDERR_KEPT = 8_000;

/** A port free now on 127.0.0.1 (the kernel's choice for port 0); nothing listens on it once returned. */
export function freePort(): Promise<number> {
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

/**
 * The environment of a test server (Go programs): one thread for Go code and a collector that runs a
 * quarter as often, unless the caller's environment says otherwise. A throwaway server holds little, and
 * its garbage collection was half its CPU, taken from the tests beside it on a 2-core machine.
 */
export function goRuntimeEnv(): NodeJS.ProcessEnv {
    return { GOMAXPROCS: "1", GOGC: "400", ...process.env };
}

export interface LoopbackServerSpec {
    /** For messages: "prometheus". */
    name: string;
    binary: string;
    /** The error when the binary is missing, naming the package to install. */
    notInstalled: string;
    /** Prefix of the temporary directory. */
    tempPrefix: string;
    /** Writes what the server needs into `dir` (config, backfilled data) and returns its arguments. */
    prepare(dir: string, port: number): Promise<string[]>;
}

export async function startLoopbackServer(spec: LoopbackServerSpec): Promise<LoopbackServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), spec.tempPrefix));
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
        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        const args = await spec.prepare(dir, port);
        const spawned = spawn(spec.binary, args, { stdio: ["ignore", "ignore", "pipe"], env: goRuntimeEnv() });
        child = spawned;
        let stderr = "";
        spawned.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEPT)));
        let exit: string | undefined;
        exited = new Promise(resolve => {
            spawned.once("error", error => {
                exit = (error as NodeJS.ErrnoException).code === "ENOENT" ? spec.notInstalled : error.message;
                resolve();
            });
            spawned.once("exit", (code, signal) => {
                exit ??= `exited (${code ?? signal})`;
                resolve();
            });
        });

        const deadline = Date.now() + READY_LIMIT_MS;
        for (;;) {
            if (exit !== undefined) throw new Error(`${spec.name} did not start: ${exit}\n${stderr.trim()}`);
            if (await ready(url)) return { url, stop };
            if (Date.now() > deadline) {
                throw new Error(`${spec.name} at ${url} was not ready within ${READY_LIMIT_MS / 1000} s\n${stderr.trim()}`);
            }
            // Short pauses between polls; the process' exit (watched above) ends the wait at once.
            await Promise.race([pause(100), exited]);
        }
    } catch (error) {
        await stop();
        throw error;
    }
}
