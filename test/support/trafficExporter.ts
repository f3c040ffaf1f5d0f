// Starts trafficExporterProcess.js (its own process: a busy test process never delays a scrape) and tells it
// what the load balancer does: the weights last deployed, and the faults a scenario injects.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";

export type ColourWeights = Record<string, number>;

export interface TrafficExporter {
    /** host:port, for Prometheus' scrape config. */
    address: string;
    /** The load balancer now splits each service's client requests so (percent per colour), by namespace. */
    setWeights(weights: Record<string, Record<string, ColourWeights>>): Promise<void>;
    /** A colour's client requests fail at `errorRatio` once its weight reaches `fromWeight`. */
    setFault(namespace: string, service: string, colour: string, fault: { errorRatio: number; fromWeight: number }): Promise<void>;
    weights(): Promise<Record<string, Record<string, ColourWeights>>>;
    stop(): Promise<void>;
}

export async function startTrafficExporter(): Promise<TrafficExporter> {
    const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, "trafficExporterProcess.js")], {
        stdio: ["pipe", "pipe", "inherit"],
    });
    const exited = new Promise<void>(resolve => child.once("exit", () => resolve()));
    const port = await new Promise<number>((resolve, reject) => {
        child.once("error", reject);
        child.once("exit", code => reject(new Error(`the traffic exporter exited (${code}) before listening`)));
        child.stdout?.once("data", chunk => resolve(Number(String(chunk).trim())));
    });
    const base = `http://127.0.0.1:${port}`;
    const post = async (what: string, body: unknown) => {
        const response = await fetch(`${base}/${what}`, { method: "POST", body: JSON.stringify(body) });
        if (response.status !== 204) throw new Error(`exporter ${what}: HTTP ${response.status}`);
    };
    return {
        address: `127.0.0.1:${port}`,
        setWeights: weights => post("weights", weights),
        setFault: (namespace, service, colour, fault) => post("faults", { [namespace]: { [service]: { [colour]: fault } } }),
        weights: async () => (await fetch(`${base}/weights`)).json() as Promise<Record<string, Record<string, ColourWeights>>>,
        stop: async () => {
            child.stdin?.end();
            child.kill();
            await exited;
        },
    };
}
