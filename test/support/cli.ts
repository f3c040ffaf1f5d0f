import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { repoRoot } from "./stackConfig";

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs one of the repository's CLIs exactly as `npm run <name> --` does, in a child process. */
export function runTool(tool: "plan" | "policy" | "promotionGate", args: string[]): Promise<CliResult> {
    return new Promise(resolve => {
        execFile(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", path.join(repoRoot, "tools", `${tool}.ts`), ...args],
            { cwd: repoRoot, env: { ...process.env, FORCE_COLOR: "0" } },
            (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
    });
}

const created: string[] = [];
// Removed when the test process ends, so runs leave nothing behind in the temp directory.
process.once("exit", () => created.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

export function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trading-platform-test-"));
    created.push(dir);
    return dir;
}

/**
 * Runs a CLI's exported `main` in this process, capturing what it prints: the CLI's own code path
 * without the cost of a cold process. Output is captured, never echoed.
 */
export async function runInProcess(main: (argv: string[]) => Promise<number>, args: string[]): Promise<CliResult> {
    let stdout = "";
    let stderr = "";
    const out = process.stdout.write;
    const err = process.stderr.write;
    process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
    try {
        const code = await main(args);
        return { code, stdout, stderr };
    } finally {
        process.stdout.write = out;
        process.stderr.write = err;
    }
}
