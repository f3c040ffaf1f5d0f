import * as fs from "fs";
import * as path from "path";
import type { LoadOptions } from "js-yaml";
import { Document, LineCounter, parseDocument } from "yaml";
import { parseJsonText } from "../runtime/jsonText";
import { UsageError } from "./errors";

// The one reader of every file a command is given (stack files, manifests, plans, JSON inputs): a
// regular file, of bounded size, text, and a YAML or JSON value of bounded nesting and expansion, or a
// one-line refusal naming the file. Nothing here reads a FIFO, a device or an alias bomb.

/** The bounds every input is held to. */
export const INPUT_LIMITS = {
    /** Bytes of one file. The benchmark's stream of 10,000 Deployments is 18 MB; a stack file has its own, smaller limit. */
    maxBytes: 64 * 1024 * 1024,
    /** Nesting of a YAML or JSON value. Kubernetes objects, CRD schemas included, stay well below. */
    maxDepth: 100,
    /** YAML aliases resolved in one file (what anchors are for, sharing a block or two, needs a handful). */
    maxAliases: 1000,
    /** What a file may grow to once its aliases are resolved, in characters per byte of the file (an alias bomb of 400 bytes grows to gigabytes). */
    maxExpansion: 10,
    /** The expansion every file may reach whatever its size, in characters. */
    minExpansionBudget: 1_000_000,
} as const;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MiB`;
const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;
const size = (bytes: number) => (bytes < 1024 * 1024 ? kib(bytes) : mib(bytes));

/** What a path is when it is not a regular file, in words. */
function kindOf(stat: fs.Stats): string {
    if (stat.isFIFO()) return "a named pipe (FIFO)";
    if (stat.isCharacterDevice()) return "a character device";
    if (stat.isBlockDevice()) return "a block device";
    if (stat.isSocket()) return "a socket";
    return "not a regular file";
}

/**
 * A file a command was given to read, as UTF-8 text: a usage error when it is missing, a directory,
 * not a regular file (a FIFO would block, /dev/zero never ends), larger than `maxBytes`, binary or not
 * UTF-8. The size is bounded before and while reading, so a file that grows is refused too.
 */
export function readInputFile(file: string, what: string, maxBytes: number = INPUT_LIMITS.maxBytes): string {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EACCES" || code === "EPERM") throw new UsageError(`${what} ${file} cannot be read (permission denied)`);
        if (code === "ENOTDIR") throw new UsageError(`${what} ${file} does not exist (a part of its path is a file)`);
        throw new UsageError(`${what} ${file} does not exist`);
    }
    if (stat.isDirectory()) {
        throw new UsageError(`${what} ${file} is a directory; give the files in it (e.g. ${path.join(file, "*.yaml")})`);
    }
    if (!stat.isFile()) throw new UsageError(`${what} ${file} is ${kindOf(stat)}; expected a regular file`);
    if (stat.size > maxBytes) throw new UsageError(`${what} ${file} is ${size(stat.size)}; expected at most ${size(maxBytes)}`);

    let fd: number;
    try {
        fd = fs.openSync(file, "r");
    } catch (e) {
        throw new UsageError(`${what} ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let bytes: Buffer;
    try {
        // One byte past the limit tells a file that grew since stat from one that fits exactly.
        const buffer = Buffer.alloc(Math.min(maxBytes, Math.max(stat.size, 64 * 1024)) + 1);
        let length = 0;
        for (;;) {
            if (length === buffer.length) break;
            const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
            if (read === 0) break;
            length += read;
        }
        if (length > maxBytes) throw new UsageError(`${what} ${file} is larger than ${size(maxBytes)}; expected at most ${size(maxBytes)}`);
        bytes = buffer.subarray(0, length);
    } finally {
        fs.closeSync(fd);
    }
    if (bytes.includes(0)) throw new UsageError(`${what} ${file} is binary data (it holds NUL bytes); expected text`);
    try {
        return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
        throw new UsageError(`${what} ${file} is not UTF-8 text`);
    }
}

/** Thrown inside the bounds walk; turned into a UsageError naming the file. */
class BoundExceeded extends Error {}

/**
 * Why a parsed value exceeds the input bounds, or undefined. It measures the value as if every alias
 * were written out (shared objects are measured once and counted on every use), so it costs the size
 * of the file, not of the expansion.
 */
export function boundsProblem(value: unknown, textLength: number): string | undefined {
    const budget = Math.max(INPUT_LIMITS.minExpansionBudget, INPUT_LIMITS.maxExpansion * textLength);
    const tooLarge = `expands to more than ${budget.toLocaleString("en-US")} characters once its aliases are resolved (an alias bomb?)`;
    const tooDeep = `is nested deeper than ${INPUT_LIMITS.maxDepth} levels`;
    // Per object: its size written out (aliases resolved) and its height; an object met again is an alias.
    const measured = new Map<object, { size: number; height: number }>();
    const open = new Set<object>();
    let aliases = 0;
    const visit = (node: unknown, depth: number): { size: number; height: number } => {
        if (typeof node === "string") return { size: node.length + 2, height: 0 };
        if (node === null || typeof node !== "object") return { size: 4, height: 0 };
        const known = measured.get(node);
        if (known) {
            if (++aliases > INPUT_LIMITS.maxAliases) throw new BoundExceeded(`uses more than ${INPUT_LIMITS.maxAliases} aliases`);
            if (depth + known.height > INPUT_LIMITS.maxDepth) throw new BoundExceeded(tooDeep);
            return known;
        }
        if (open.has(node)) throw new BoundExceeded("refers to itself through an alias");
        if (depth > INPUT_LIMITS.maxDepth) throw new BoundExceeded(tooDeep);
        open.add(node);
        let size = 2;
        let height = 0;
        const add = (key: string, child: unknown) => {
            const m = visit(child, depth + 1);
            size += m.size + key.length + 3;
            height = Math.max(height, m.height + 1);
            // Sizes only grow towards the root: the first subtree over the budget is enough to refuse.
            if (size > budget) throw new BoundExceeded(tooLarge);
        };
        if (Array.isArray(node)) for (const child of node) add("", child);
        else for (const key of Object.keys(node)) add(key, (node as Record<string, unknown>)[key]);
        open.delete(node);
        const result = { size, height };
        measured.set(node, result);
        return result;
    };
    try {
        visit(value, 0);
    } catch (e) {
        if (e instanceof BoundExceeded) return e.message;
        // A value nested deeper than the engine's stack can follow.
        if (e instanceof RangeError) return tooDeep;
        throw e;
    }
    return undefined;
}

/** JSON from a file, bounded like every input; `what` names the expected content ("a plan JSON file"). */
export function parseJsonInput(text: string, file: string, what: string): unknown {
    // Never the parser's message: it quotes the text around the fault, which may be a credential.
    const value = parseJsonText(text, problem => new UsageError(`${file} is not ${what}: ${problem}`));
    const problem = boundsProblem(value, text.length);
    if (problem) throw new UsageError(`${file} is not ${what}: it ${problem}`);
    return value;
}

/** A JSON file a command was given, read and parsed within the bounds. */
export function readJsonInput(file: string, what: string, description: string, maxBytes?: number): unknown {
    return parseJsonInput(readInputFile(file, what, maxBytes), file, description);
}

/** One YAML document parsed with the `yaml` library, its value, and what locates a key's line in it. */
export interface YamlInput {
    value: unknown;
    document: Document;
    lines: LineCounter;
}

/**
 * One YAML document (a stack file, Pulumi.yaml), bounded in aliases (the library's own resource-
 * exhaustion check), depth and expansion. Errors name the file, the line and the column.
 */
export function parseYamlInput(text: string, file: string): YamlInput {
    const lines = new LineCounter();
    let document: Document;
    let value: unknown;
    try {
        // prettyErrors off: with it, the library builds each error's context with a regular expression that
        // exhausts V8's memory (a fatal crash, not an exception) on a document nested a few thousand deep.
        document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
        const error = document.errors[0];
        if (error) {
            // The library's composer recurses: a document nested deeper than the stack can follow fails as "call stack".
            if (/call stack/i.test(error.message)) {
                throw new UsageError(`${file} is not valid YAML: it is nested deeper than ${INPUT_LIMITS.maxDepth} levels`);
            }
            const at = lines.linePos(error.pos[0]);
            throw new UsageError(`${file} is not valid YAML: ${error.message.split("\n")[0]} at line ${at.line}, column ${at.col}`);
        }
        value = document.toJS({ maxAliasCount: INPUT_LIMITS.maxAliases });
    } catch (e) {
        if (e instanceof UsageError) throw e;
        if (e instanceof RangeError && /call stack/.test(e.message)) {
            throw new UsageError(`${file} is not valid YAML: it is nested deeper than ${INPUT_LIMITS.maxDepth} levels`);
        }
        if (e instanceof ReferenceError && /alias/i.test(e.message)) {
            throw new UsageError(`${file} is not valid YAML: its aliases expand too far (${e.message})`);
        }
        throw new UsageError(`${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    const problem = boundsProblem(value, text.length);
    if (problem) throw new UsageError(`${file} is not valid input: it ${problem}`);
    return { value, document, lines };
}

/** The documents of a YAML stream and the line each starts on. */
export interface StreamDocuments {
    documents: unknown[];
    /** 1-based line where each document's content starts. */
    lines: number[];
}

/**
 * The documents of a YAML stream (Kubernetes manifests), each with the line it starts on. js-yaml
 * rather than yaml: on 10,000 Deployments it parses about ten times faster, as it builds plain values
 * without a document tree. Both read YAML 1.2's core schema and refuse duplicate keys. Bounded like
 * every input: js-yaml's own depth and merge-key limits, then aliases and expansion.
 */
export function parseYamlStream(text: string, file: string): StreamDocuments {
    // Loaded here, not at the top: only `policy check` of manifests needs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jsYaml = require("js-yaml") as typeof import("js-yaml");
    const documents: unknown[] = [];
    const lines: number[] = [];
    let depth = 0;
    // YAML 1.2's core schema and merge keys (`<<`), as Kubernetes' YAML reader takes manifests: a
    // date-like scalar stays a string (js-yaml's default schema would make it a Date). js-yaml exports
    // its built-in types as `types`; its typings leave the object out.
    const schema = jsYaml.CORE_SCHEMA.extend({
        implicit: [(jsYaml as unknown as { types: { merge: import("js-yaml").Type } }).types.merge],
    });
    const options: LoadOptions & { maxDepth: number; listener: (event: "open" | "close", state: { line: number }) => void } = {
        filename: file,
        schema,
        maxDepth: INPUT_LIMITS.maxDepth,
        // A document's root node opens at depth 0; js-yaml's line is 0-based.
        listener: (event, state) => {
            if (event === "open") {
                if (depth === 0) lines.push(state.line + 1);
                depth++;
            } else {
                depth--;
            }
        },
    };
    try {
        jsYaml.loadAll(text, body => documents.push(body), options);
    } catch (e) {
        if (!(e instanceof jsYaml.YAMLException)) throw e;
        // js-yaml parses the whole stream before handing out documents: place the broken one by the
        // document markers above the line its mark names.
        throw new UsageError(
            `${file}: document ${documentAt(text, e.mark.line)} is not valid YAML: ${e.reason} at line ${e.mark.line + 1}, column ${e.mark.column + 1}`,
        );
    }
    // Anchors are what aliases need: without one, nothing is shared and the stream is its own size.
    if (/(^|[\s[{,:-])&[^\s]/.test(text)) {
        documents.forEach((document, index) => {
            const problem = boundsProblem(document, text.length);
            if (problem) throw new UsageError(`${file}: document ${index + 1} ${problem}`);
        });
    }
    return { documents, lines };
}

/** The 1-based number of the document holding 0-based `line`: a `---` opens a document, except one before any content. */
function documentAt(text: string, line: number): number {
    let number = 1;
    let content = false;
    for (const l of text.split("\n", line)) {
        if (/^---(\s|$)/.test(l)) {
            if (content) number++;
            content = true;
        } else if (!/^\s*(#.*)?$/.test(l) && !l.startsWith("%")) {
            content = true;
        }
    }
    return number;
}
