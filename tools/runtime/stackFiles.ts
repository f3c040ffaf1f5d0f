import * as fs from "fs";
import * as path from "path";
import { UsageError } from "../cli/errors";
import { parseYamlInput, readInputFile, readJsonInput, YamlInput } from "../cli/inputFiles";

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
    /** The file it was read from and its parsed document, for reports that point at a key's line. */
    source?: { file: string; yaml: YamlInput };
}

/** The largest stack file the offline plan reads (docs/config.md). */
export const MAX_STACK_FILE_BYTES = 256 * 1024;

export function readProject(dir: string): ProjectInfo {
    const projectFile = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) {
        throw new UsageError(`No Pulumi.yaml in ${dir}`);
    }
    const project = parseYamlInput(readInputFile(projectFile, "Project file"), projectFile).value as {
        name?: unknown;
        main?: unknown;
    } | null;
    if (typeof project?.name !== "string" || project.name === "") {
        throw new UsageError(`${projectFile} has no project name`);
    }
    const pkg = readJsonInput(path.join(dir, "package.json"), "Package file", "a package.json") as { main?: string };
    const programDir = path.resolve(dir, typeof project.main === "string" ? project.main : ".");
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
    const text = readInputFile(file, "Stack file", MAX_STACK_FILE_BYTES);
    const what = `Stack file ${file}`;
    const yaml = parseYamlInput(text, file);
    const document = yaml.value as { config?: unknown } | null;
    if (document === null || document === undefined) {
        throw new UsageError(`${what} is empty; expected a Pulumi stack file with a config: map (see docs/config.md)`);
    }
    if (document === null || typeof document !== "object" || Array.isArray(document)) {
        throw new UsageError(`${what} is not a Pulumi stack file: expected a map with a config: key; found ${describeYaml(document)}`);
    }
    if (!("config" in document) || document.config === null || document.config === undefined) {
        const keys = Object.keys(document);
        throw new UsageError(
            `${what} has no config: map; expected the stack's config under config: (see docs/config.md)${keys.length ? `; found only ${keys.join(", ")}` : ""}`,
        );
    }
    if (typeof document.config !== "object" || Array.isArray(document.config)) {
        throw new UsageError(`${what}: config: must be a map of keys to values; found ${describeYaml(document.config)}`);
    }
    const namespace = `${project.name}:`;
    if (!Object.keys(document.config).some(key => key.startsWith(namespace) || !key.includes(":"))) {
        throw new UsageError(
            `${what} sets no ${project.name} key under config:; expected the stack's sections (trading, registry, dockerHost, ...: see docs/config.md)`,
        );
    }
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, rawValue] of Object.entries(document.config as Record<string, unknown>)) {
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
        values[key] =
            typeof value === "string" ? value : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
        if (secret) secretKeys.push(key);
    }
    return { values, secretKeys, source: { file, yaml } };
}

const describeYaml = (value: unknown) =>
    value === null || value === undefined
        ? "nothing"
        : Array.isArray(value)
          ? "a list"
          : typeof value === "object"
            ? "a map"
            : `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;

function isSecure(value: unknown): boolean {
    return (
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        Object.keys(value).length === 1 &&
        typeof (value as { secure?: unknown }).secure === "string"
    );
}
