import * as fs from "fs";
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "util";
import type { PolicyPackDefinition } from "../engine/policyEngine";
import { PlanDocument } from "../plan/document";
import type { SarifOptions } from "../plan/sarif";
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

/**
 * A process stream that a closed reader cannot crash: once the other end of a pipe is gone (`| head`),
 * further output is dropped and the command carries on to its end and its own exit code (a promotion
 * piped to `head` must not stop mid-step). The listener also catches writes made around it
 * (console.log), which would otherwise raise an unhandled 'error' event with a stack trace.
 */
export function pipeSafe(stream: NodeJS.WriteStream): CliIo["stdout"] {
    let closed = false;
    stream.on("error", () => {
        // EPIPE (reader gone), or the stream failed otherwise: either way nothing more can be shown on it.
        closed = true;
    });
    return { write: (text: string) => (closed || stream.destroyed ? false : stream.write(text)) };
}

/** Runs a command's `main` from its tools/<command>.ts entry with the process's arguments and pipe-safe streams. */
export function runEntry(main: (argv: string[], io: CliIo) => Promise<number>): void {
    const io: CliIo = { stdout: pipeSafe(process.stdout), stderr: pipeSafe(process.stderr) };
    void main(process.argv.slice(2), io).then(code => {
        process.exitCode = code;
    });
}

/** Thrown by parseCli for `--help`: the CLI prints its usage on stdout and exits 0. */
class HelpRequested extends Error {
    constructor() {
        super("help requested");
        this.name = "HelpRequested";
    }
}

/**
 * Parses flags strictly. Every CLI accepts `--help`; a flag given twice is refused rather than the last
 * one silently winning (two `--stack`s are a mistake, not a choice).
 */
export function parseCli<T extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: T, allowPositionals = false) {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            options: { ...options, help: { type: "boolean", short: "h" } },
            allowPositionals,
            strict: true,
            tokens: true,
        });
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
    if ((parsed.values as Record<string, unknown>).help) throw new HelpRequested();
    const seen = new Set<string>();
    for (const token of parsed.tokens ?? []) {
        if (token.kind !== "option") continue;
        if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once; give it once`);
        seen.add(token.name);
    }
    const { help: _help, ...values } = parsed.values as Record<string, unknown>;
    return { values: values as typeof parsed.values, positionals: parsed.positionals };
}

/**
 * Refuses a report path that cannot be written as a file (a directory, or under a file), before the
 * run prints anything: a verdict followed by a crash reads as a pass.
 */
export function checkReportTarget(file: string | undefined, flag: string): void {
    if (file === undefined) return;
    if (file === "" || file.endsWith("/") || file.endsWith(path.sep)) throw new UsageError(`${flag} needs a file name, not "${file}"`);
    const resolved = path.resolve(file);
    if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory()) {
        throw new UsageError(`${flag} ${file} is a directory; give a file name (e.g. reports/plan.json)`);
    }
    for (let dir = path.dirname(resolved); dir !== path.dirname(dir); dir = path.dirname(dir)) {
        if (fs.existsSync(dir)) {
            if (!fs.statSync(dir).isDirectory()) throw new UsageError(`${flag} ${file}: ${dir} is a file, not a directory`);
            break;
        }
    }
}

/**
 * Refuses reports that would overwrite each other or an input: `--json` and `--markdown` naming one
 * file would leave only the last one written, and a report over an input destroys what was checked.
 */
export function checkDistinctTargets(reports: Record<string, string | undefined>, inputs: Record<string, string | undefined> = {}): void {
    const seen = new Map<string, { flag: string; file: string }>();
    for (const [flag, file] of Object.entries(reports)) {
        if (file === undefined) continue;
        const resolved = path.resolve(file);
        const earlier = seen.get(resolved);
        if (earlier) throw new UsageError(`${earlier.flag} and ${flag} both name ${file}; give each report its own file`);
        seen.set(resolved, { flag, file });
    }
    for (const [what, file] of Object.entries(inputs)) {
        if (file === undefined) continue;
        const report = seen.get(path.resolve(file));
        if (report) throw new UsageError(`${report.flag} ${report.file} would overwrite ${what}; write the report elsewhere`);
    }
}

/** Writes the requested report files, then prints the summary, and returns the exit code. */
export function emitReports(
    io: CliIo,
    doc: PlanDocument,
    opts: {
        json?: string;
        markdown?: string;
        markdownExtra?: string[];
        sarif?: { file: string; pack: PolicyPackDefinition; options: SarifOptions };
    },
): number {
    checkReportTarget(opts.json, "--json");
    checkReportTarget(opts.markdown, "--markdown");
    checkReportTarget(opts.sarif?.file, "--sarif");
    if (opts.json) writeFile(opts.json, JSON.stringify(doc, null, 2) + "\n");
    if (opts.markdown) writeFile(opts.markdown, renderMarkdown(doc, opts.markdownExtra));
    if (opts.sarif) {
        // Loaded only when asked for: a plan without --sarif pays nothing for it.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { renderSarif } = require("../plan/sarif") as typeof import("../plan/sarif");
        writeFile(opts.sarif.file, JSON.stringify(renderSarif(doc, opts.sarif.pack, opts.sarif.options), null, 2) + "\n");
    }
    io.stdout.write(renderText(doc));
    return doc.summary.passed ? EXIT.passed : EXIT.violations;
}

function writeFile(file: string, content: string): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, content);
}

/** What follows a usage error: a pointer to --help, naming the command as the usage text does. */
const usageHint = (usage: string) => {
    const command = /^Usage: (npm run [\w-]+)/.exec(usage)?.[1];
    return `Run \`${command ? `${command} -- --help` : "with --help"}\` for usage.`;
};

/** Filesystem failures a user causes (a missing file, a directory for a file): usage errors, not crashes. */
const userFsErrors = new Set(["ENOENT", "EISDIR", "ENOTDIR", "EACCES", "EPERM", "EEXIST", "ENAMETOOLONG"]);

/**
 * Runs a CLI body and returns its exit code, mapping usage and config errors to exit 2 with a short
 * message (one line and a pointer to --help for usage errors), never a stack trace.
 */
export async function runCli(usage: string, io: CliIo, body: () => Promise<number>): Promise<number> {
    try {
        return await body();
    } catch (e) {
        const error = e as Error & { code?: string; path?: string };
        if (error.name === "HelpRequested") {
            io.stdout.write(`${usage}\n`);
            return EXIT.passed;
        }
        if (error.name === "UsageError") {
            io.stderr.write(`${error.message}\n${usageHint(usage)}\n`);
        } else if (error.name === "ProgramError" || error.name === "MarketCalendarError") {
            io.stderr.write(`${error.message}\n`);
        } else if (error.code && userFsErrors.has(error.code)) {
            io.stderr.write(`${error.path ?? "a file"}: ${error.message.replace(/^[A-Z]+: /, "")}\n`);
        } else {
            // An internal failure: the message, not a trace; TRADING_PLATFORM_DEBUG=1 shows where it came from.
            io.stderr.write(
                `Internal error: ${error.message ?? String(e)}\n${process.env.TRADING_PLATFORM_DEBUG ? `${error.stack}\n` : ""}`,
            );
        }
        return EXIT.usage;
    }
}
