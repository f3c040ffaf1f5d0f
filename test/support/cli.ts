import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliIo } from "../../tools/cli/run";
import { repoRoot } from "./stackConfig";

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Every command: tools/<tool>.ts calls tools/cli/commands/<tool>.ts. */
export const tools = ["plan", "policy", "promotionGate", "promote", "docs", "syncPlatform", "bench", "recordPositions"] as const;
export type Tool = (typeof tools)[number];

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs one of the repository's CLIs in this process: its `main` with the arguments `npm run <name> --`
 * would pass, its output captured. One at a time, as the offline runtime is process-wide state.
 */
export function runTool(tool: Tool, args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
    const run = queue.then(async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { main } = require(path.join(repoRoot, "tools", "cli", "commands", tool)) as {
            main: (argv: string[], io: CliIo, env?: NodeJS.ProcessEnv) => Promise<number>;
        };
        let stdout = "";
        let stderr = "";
        const io: CliIo = { stdout: { write: text => (stdout += text) }, stderr: { write: text => (stderr += text) } };
        const code = await (env ? main(args, io, env) : main(args, io));
        return { code, stdout, stderr };
    });
    queue = run.catch(() => undefined);
    return run;
}

/** Runs one of the repository's CLIs exactly as `npm run <name> --` does, in a child process. */
export function spawnTool(tool: Tool, args: string[]): Promise<CliResult> {
    return new Promise(resolve => {
        execFile(
            process.execPath,
            ["-r", path.join(repoRoot, "tools", "transpile.js"), path.join(repoRoot, "tools", `${tool}.ts`), ...args],
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
