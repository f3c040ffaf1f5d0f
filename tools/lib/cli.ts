import * as fs from "fs";
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "util";
import { PlanDocument } from "./planDocument";
import { renderMarkdown, renderText } from "./report";
import { UsageError } from "./stackFiles";

/** Where a CLI writes: the process's streams when run as a command, buffers when a test runs it in process. */
export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
}

export const processIo: CliIo = {
    stdout: text => void process.stdout.write(text),
    stderr: text => void process.stderr.write(text),
};

/** Runs a CLI's `main` as the process's entry: its result becomes the exit code. */
export function runAsCommand(main: (argv: string[], io: CliIo) => Promise<number>): void {
    void main(process.argv.slice(2), processIo).then(code => {
        process.exitCode = code;
    });
}

/** Exit codes shared by `plan` and `policy check`. */
export const EXIT = { passed: 0, violations: 1, usage: 2 } as const;

export function parseCli<T extends ParseArgsConfig["options"]>(argv: string[], options: T, allowPositionals = false) {
    try {
        return parseArgs({ args: argv, options, allowPositionals, strict: true });
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
}

/** Prints the summary, writes the requested report files, and returns the exit code. */
export function emitReports(doc: PlanDocument, opts: { json?: string; markdown?: string; markdownExtra?: string[] }, io: CliIo = processIo): number {
    io.stdout(renderText(doc));
    if (opts.json) writeFile(opts.json, JSON.stringify(doc, null, 2) + "\n");
    if (opts.markdown) writeFile(opts.markdown, renderMarkdown(doc, opts.markdownExtra));
    return doc.summary.passed ? EXIT.passed : EXIT.violations;
}

function writeFile(file: string, content: string): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, content);
}

/** Runs a CLI body, mapping usage and config errors to exit 2 with a one-paragraph message; returns the exit code. */
export async function runCli(usage: string, body: () => Promise<number>, io: CliIo = processIo): Promise<number> {
    let code: number;
    try {
        code = await body();
    } catch (e) {
        const error = e as Error;
        if (error.name === "UsageError") {
            io.stderr(`${error.message}\n\n${usage}\n`);
        } else if (error.name === "ProgramError") {
            io.stderr(`${error.message}\n`);
        } else {
            io.stderr(`${error.stack ?? error.message}\n`);
        }
        code = EXIT.usage;
    }
    return code;
}
