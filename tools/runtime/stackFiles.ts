import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../cli/errors";

export interface ProjectInfo {
    dir: string;
    name: string;
    /** The program's entry, resolved the way the Node.js language host does: package.json "main". */
    entry: string;
}

export interface StackFileConfig {
    /** By full key, as the CLI passes config to a program: strings, objects as JSON. */
    values: Record<string, string>;
    secretKeys: string[];
}

/** The largest stack file the offline plan reads (docs/config.md). */
export const MAX_STACK_FILE_BYTES = 256 * 1024;

export function readProject(dir: string): ProjectInfo {
    const projectFile = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) {
        throw new UsageError(`No Pulumi.yaml in ${dir}`);
    }
    const project = parseYaml(fs.readFileSync(projectFile, "utf8")) as { name?: string; main?: string };
    if (!project?.name) {
        throw new UsageError(`${projectFile} has no project name`);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { main?: string };
    const programDir = path.resolve(dir, project.main ?? ".");
    const entry = require.resolve(path.resolve(programDir, pkg.main ?? "index.ts"));
    return { dir, name: project.name, entry };
}

/**
 * Reads `Pulumi.<stack>.yaml` into the form the CLI hands a program. A `secure:` value cannot be
 * decrypted offline: it becomes an opaque placeholder and its key is marked secret, so the program
 * reads it as a Pulumi secret exactly as it would under the CLI.
 */
export function readStackConfig(project: ProjectInfo, stack: string, stackFile?: string): StackFileConfig {
    const file = stackFile ?? path.join(project.dir, `Pulumi.${stack}.yaml`);
    if (stackFile && !fs.existsSync(stackFile)) {
        throw new UsageError(`Stack file ${stackFile} does not exist`);
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !fs.existsSync(file)) {
        const known = fs
            .readdirSync(project.dir)
            .map(f => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
            .filter((s): s is string => Boolean(s));
        throw new UsageError(`No stack file for stack "${stack}" (expected ${file}); known stacks: ${known.join(", ")}`);
    }
    // Planning costs milliseconds and hundreds of KB per declared resource in Pulumi's runtime, so a
    // huge stack file (thousands of generated networks) runs for minutes and gigabytes: refuse it up front.
    const size = fs.statSync(file).size;
    if (size > MAX_STACK_FILE_BYTES) {
        throw new UsageError(
            `Stack file ${file} is ${Math.ceil(size / 1024)} KiB; a stack file may be at most ${MAX_STACK_FILE_BYTES / 1024} KiB ` +
                "(the committed ones are under 10 KiB). Split generated config out of the stack file.",
        );
    }
    let document: { config?: Record<string, unknown> };
    try {
        document = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as typeof document;
    } catch (e) {
        throw new UsageError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, rawValue] of Object.entries(document.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        let secret = false;
        const opaque = (value: unknown): unknown => {
            if (isSecure(value)) {
                secret = true;
                return `[offline placeholder for secret ${key}]`;
            }
            if (Array.isArray(value)) return value.map(opaque);
            if (value !== null && typeof value === "object") {
                return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, opaque(v)]));
            }
            return value;
        };
        const value = opaque(rawValue);
        values[key] = typeof value === "string" ? value : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
        if (secret) secretKeys.push(key);
    }
    return { values, secretKeys };
}

function isSecure(value: unknown): boolean {
    return (
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        Object.keys(value).length === 1 &&
        typeof (value as { secure?: unknown }).secure === "string"
    );
}
