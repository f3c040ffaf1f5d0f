// Runs a command in a fresh node process and reports what it cost: CPU (user+system, the figure the
// targets are set in, since the machine's other core may be busy) beside wall time and peak memory.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface ProcessCost {
    cpu: number;
    wall: number;
    maxRssMB: number;
    code: number;
    stdout: string;
}

const repoRoot = path.resolve(__dirname, "..", "..");

/** `node -r cpuReport <nodeArgs>` in the repository root; throws when it exits other than `expectCode`. */
export function measureNode(nodeArgs: string[], expectCode = 0): ProcessCost {
    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "trading-platform-bench-")), "cost.json");
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ["-r", path.join(__dirname, "cpuReport.js"), ...nodeArgs], {
        cwd: repoRoot,
        env: { ...process.env, BENCH_REPORT: report },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    if (run.status !== expectCode) throw new Error(`node ${nodeArgs.join(" ")} exited ${run.status}: ${run.stderr.slice(0, 2000)}`);
    const { user, system, maxRssMB } = JSON.parse(fs.readFileSync(report, "utf8")) as { user: number; system: number; maxRssMB: number };
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
    return { cpu: user + system, wall, maxRssMB, code: run.status, stdout: run.stdout };
}

/** The median of `runs` measurements of one command, by CPU time: a shared machine makes single runs noisy. */
export function medianOf(runs: number, measure: () => ProcessCost): ProcessCost {
    const costs = Array.from({ length: runs }, measure).sort((a, b) => a.cpu - b.cpu);
    return costs[Math.floor(costs.length / 2)];
}
