import * as fs from "fs";
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "util";
import { PlanDocument } from "../plan/document";
import { renderMarkdown, renderText } from "../plan/report";
import { UsageError } from "../runtime/stackFiles";

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
export function emitReports(doc: PlanDocument, opts: { json?: string; markdown?: string; markdownExtra?: string[] }): number {
    process.stdout.write(renderText(doc));
    if (opts.json) writeFile(opts.json, JSON.stringify(doc, null, 2) + "\n");
    if (opts.markdown) writeFile(opts.markdown, renderMarkdown(doc, opts.markdownExtra));
    return doc.summary.passed ? EXIT.passed : EXIT.violations;
}

function writeFile(file: string, content: string): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, content);
}

/** Runs a CLI body, mapping usage and config errors to exit 2 with a one-paragraph message. */
export async function runCli(usage: string, body: () => Promise<number>): Promise<void> {
    let code: number;
    try {
        code = await body();
    } catch (e) {
        const error = e as Error;
        if (error.name === "UsageError") {
            process.stderr.write(`${error.message}\n\n${usage}\n`);
        } else if (error.name === "ProgramError") {
            process.stderr.write(`${error.message}\n`);
        } else {
            process.stderr.write(`${error.stack ?? error.message}\n`);
        }
        code = EXIT.usage;
    }
    process.exitCode = code;
}
