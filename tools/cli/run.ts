import * as fs from "fs";
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "util";
import { PlanDocument } from "../plan/document";
import { renderMarkdown, renderText } from "../plan/report";
import { UsageError } from "./errors";

export { ProgramError, UsageError } from "./errors";

/** Exit codes shared by every CLI. */
export const EXIT = { passed: 0, violations: 1, usage: 2 } as const;

/** Where a CLI writes: the process's streams, or a test's buffers. */
export interface CliIo {
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown };
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

export function parseCli<T extends ParseArgsConfig["options"]>(argv: string[], options: T, allowPositionals = false) {
    try {
        return parseArgs({ args: argv, options, allowPositionals, strict: true });
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
}

/** Prints the summary, writes the requested report files, and returns the exit code. */
export function emitReports(io: CliIo, doc: PlanDocument, opts: { json?: string; markdown?: string; markdownExtra?: string[] }): number {
    io.stdout.write(renderText(doc));
    if (opts.json) writeFile(opts.json, JSON.stringify(doc, null, 2) + "\n");
    if (opts.markdown) writeFile(opts.markdown, renderMarkdown(doc, opts.markdownExtra));
    return doc.summary.passed ? EXIT.passed : EXIT.violations;
}

function writeFile(file: string, content: string): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, content);
}

/** Runs a CLI body and returns its exit code, mapping usage and config errors to 2 with a one-paragraph message. */
export async function runCli(usage: string, io: CliIo, body: () => Promise<number>): Promise<number> {
    try {
        return await body();
    } catch (e) {
        const error = e as Error;
        if (error.name === "UsageError") {
            io.stderr.write(`${error.message}\n\n${usage}\n`);
        } else if (error.name === "ProgramError") {
            io.stderr.write(`${error.message}\n`);
        } else {
            io.stderr.write(`${error.stack ?? error.message}\n`);
        }
        return EXIT.usage;
    }
}
