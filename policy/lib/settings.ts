import { containersOf, describeContainer, Workload } from "./kubernetes";

// Everywhere a value can reach a process, as (name, value, where) triples the credential and
// segregation rules share: env values, command lines, annotations, ConfigMap and Secret data.

export const vaultAnnotationPrefix = "vault.hashicorp.com/";

/** A property path, as the engine and the plan document write it: `spec.containers[0].args[2]`, `data["app.key"]`. */
export type PropertyPath = (string | number)[];

export function formatPath(path: PropertyPath): string {
    let out = "";
    for (const part of path) {
        if (typeof part === "number") out += `[${part}]`;
        else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(part)) out += out ? `.${part}` : part;
        else out += `[${JSON.stringify(part)}]`;
    }
    return out;
}

export interface Setting {
    /** The variable, flag or key the value is set under; a position (`args[2]`) when it has none. */
    name: string;
    value: string;
    /** How a message names the place, e.g. `container "api" (spec.template.spec.containers[0]) args[2]`. */
    where: string;
    /** Where the value sits in the resource's inputs, so a report can redact it. */
    path: PropertyPath;
    /** False for a bare position: only the value's shape can make it a credential, not its name. */
    named: boolean;
}

/** `--api-key=x`, `-Dpassword=x`, `TOKEN=x`: a name and a value inside one command-line word. */
const assignment = /^-{0,2}(?:D)?([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s;
/** `export AWS_SECRET_ACCESS_KEY=x` inside a shell string. */
const inlineAssignment = /(?:^|[\s;&|'"])(?:--?)?([A-Za-z_][A-Za-z0-9_-]*)=([^\s;&|'"]+)/g;

/** The settings of a command line (`args` or `command`): each word, `NAME=value` forms and `--flag value` pairs. */
export function commandLineSettings(words: unknown, base: PropertyPath, label: string): Setting[] {
    if (!Array.isArray(words)) return [];
    const out: Setting[] = [];
    words.forEach((word, i) => {
        if (typeof word !== "string") return;
        const path = [...base, i];
        const where = `${label}[${i}]`;
        const whole = assignment.exec(word);
        if (whole) {
            out.push({ name: whole[1], value: whole[2], where, path, named: true });
            return;
        }
        const previous = words[i - 1];
        if (typeof previous === "string" && /^--?[A-Za-z][A-Za-z0-9_.-]*$/.test(previous) && !word.startsWith("-")) {
            out.push({ name: previous.replace(/^-+/, ""), value: word, where, path, named: true });
        } else {
            out.push({ name: where, value: word, where, path, named: false });
        }
        for (const match of word.matchAll(inlineAssignment)) {
            out.push({ name: match[1], value: match[2], where, path, named: true });
        }
    });
    return out;
}

/**
 * The settings of a string map (annotations, labels, ConfigMap data): each entry, and with `embedded`
 * the settings written inside each value (an env file, a properties, YAML or JSON file), since a
 * process reads `REDIS_PASSWORD=…` from a mounted file as it would from its environment.
 */
export function mapSettings(
    map: unknown,
    base: PropertyPath,
    label: string,
    options: { decode?: (value: string) => string; embedded?: boolean } = {},
): Setting[] {
    if (map === null || typeof map !== "object" || Array.isArray(map)) return [];
    const out: Setting[] = [];
    for (const [key, raw] of Object.entries(map as Record<string, unknown>)) {
        if (typeof raw !== "string") continue;
        const value = options.decode ? options.decode(raw) : raw;
        const where = `${label} ${key}`;
        out.push({ name: key, value, where, path: [...base, key], named: true });
        if (options.embedded) out.push(...embeddedSettings(value, [...base, key], where));
    }
    return out;
}

/** `NAME=value` and `export NAME=value` (env files, shell), `name = value` (properties, INI, TOML). */
const assignmentLine = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]{0,127})\s*=\s*(.*?)\s*$/;
/** `name: value` (YAML, one scalar), read only in a value of several lines. */
const yamlLine = /^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_.-]{0,127})\s*:\s+([^\s#|>&*!{[][^#]*?)\s*$/;
/** `"name": "value"` (JSON). */
const jsonLine = /^\s*"([^"]{1,128})"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,?\s*$/;

/** A value as the file's reader gets it: surrounding quotes removed, an env file's trailing comment dropped. */
function unquote(value: string): string {
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) return quoted[2];
    return value.replace(/\s+#.*$/, "");
}

/** The settings written inside one value (a mounted file's lines), each named, at the value's own path. */
export function embeddedSettings(text: string, path: PropertyPath, where: string): Setting[] {
    // Most values are one plain word: nothing is assigned in them.
    if (!text.includes("=") && !text.includes(":")) return [];
    const lines = text.split(/\r?\n/);
    const several = lines.length > 1;
    const out: Setting[] = [];
    lines.forEach((line, i) => {
        const match = assignmentLine.exec(line) ?? jsonLine.exec(line) ?? (several ? yamlLine.exec(line) : null);
        if (!match) return;
        out.push({ name: match[1], value: unquote(match[2]), where: `${where}, line ${i + 1} (${match[1]})`, path, named: true });
    });
    return out;
}

/**
 * Every plain value a workload hands its processes: container env, args and command, and its
 * annotations. Listed once per workload (the engine shares one workload among the policies), frozen.
 */
export function workloadSettings(workload: Workload, props: Record<string, unknown>): readonly Setting[] {
    let settings = settingLists.get(workload);
    if (!settings) {
        settings = listWorkloadSettings(workload, props);
        if (Object.isFrozen(workload)) settingLists.set(workload, Object.freeze(settings.map(s => Object.freeze(s))));
    }
    return settings;
}
const settingLists = new WeakMap<Workload, readonly Setting[]>();

function listWorkloadSettings(workload: Workload, props: Record<string, unknown>): Setting[] {
    const settings: Setting[] = [];
    const podSpecPath = workload.podSpecPath.split(".");
    for (const ref of containersOf(workload)) {
        const base: PropertyPath = [...podSpecPath, ref.kind, ref.index];
        const who = describeContainer(ref);
        (ref.container.env ?? []).forEach((env, i) => {
            if (env?.name && typeof env.value === "string") {
                settings.push({
                    name: env.name,
                    value: env.value,
                    where: `${who} env ${env.name}`,
                    path: [...base, "env", i, "value"],
                    named: true,
                });
            }
        });
        const container = ref.container as { args?: unknown; command?: unknown };
        settings.push(...commandLineSettings(container.args, [...base, "args"], `${who} args`));
        settings.push(...commandLineSettings(container.command, [...base, "command"], `${who} command`));
    }
    const metadata = (props.metadata ?? {}) as { annotations?: unknown };
    const annotations = mapSettings(metadata.annotations, ["metadata", "annotations"], "annotation", { embedded: true });
    if (workload.podMetadata && workload.podSpecPath !== "spec") {
        const templatePath = podSpecPath.slice(0, -1);
        annotations.push(
            ...mapSettings(workload.podMetadata.annotations, [...templatePath, "metadata", "annotations"], "pod template annotation", {
                embedded: true,
            }),
        );
    }
    // Vault agent annotations name secrets by path (agent-inject-secret-<file>): references, not values.
    // (and so do the lines inside them: an agent template names fields, not values).
    for (const a of annotations) if (String(a.path[a.path.length - 1]).startsWith(vaultAnnotationPrefix)) a.named = false;
    return [...settings, ...annotations];
}

/** Base64 as Kubernetes stores Secret `data`: decoded, since base64 is an encoding, not encryption. */
export function decodeBase64(value: string): string {
    // Not base64 (e.g. a value an earlier plan redacted): judged as written.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return value;
    return Buffer.from(value, "base64").toString("utf8");
}
