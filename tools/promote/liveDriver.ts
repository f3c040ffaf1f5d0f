// The live stack driver of `npm run promote`: every step is one real `pulumi up` of the stack through
// Pulumi's Automation API, with the policy pack and the promotion's policy config.
import { CommandError, ConfigMap, LocalWorkspace, OutputMap, PulumiCommand, Stack, StackNotFoundError } from "@pulumi/pulumi/automation";
import { z } from "zod";
import { BlueGreenPosition } from "../../platform";
import { blueGreenPositionSchema } from "../../stacks/config/deployments";
import { UsageError } from "../cli/errors";
import { positionsFromDeployments, selectServices } from "./stackState";
import { PositionUpdate, StackDriver, StackState, UpdatePurpose, UpdateResult } from "./types";

export interface LiveDriverOptions {
    /** The repository: Pulumi.yaml and Pulumi.<stack>.yaml. */
    workDir: string;
    stack: string;
    /** The policy pack's directory (<repo>/policy). */
    policyPackDir: string;
    /** Policy config of an advance or finalize: the deployment window mandatory. */
    advanceConfig: string;
    /** Policy config of a rollback: the deployment window advisory. */
    rollbackConfig: string;
    /** The CLI to run (default: `pulumi` on PATH); tests pass a stand-in. */
    pulumiCommand?: PulumiCommand;
    /** Each line the CLI prints (stdout and stderr), without its newline. */
    onOutput?: (line: string) => void;
    /** Extra environment of every CLI run (a passphrase, PULUMI_HOME): never on the command line. */
    envVars?: Record<string, string>;
}

/** The `promotionState` output's shape (stacks/index.ts); extra fields are tolerated for later program versions. */
const promotionStateSchema = z.record(z.string(), blueGreenPositionSchema);

/**
 * The programs before `step` was renamed `weight` exported the weight as `step`, and the production
 * stack was last updated by one: read it as the weight (transitional, until its next update rewrites
 * the output). Returns the output with `weight`, and the services read so.
 */
export function renameOutputStep(value: unknown): { value: unknown; renamed: string[] } {
    if (!value || typeof value !== "object" || Array.isArray(value)) return { value, renamed: [] };
    const renamed: string[] = [];
    const entries = Object.entries(value).map(([service, position]) => {
        if (!position || typeof position !== "object" || !Object.hasOwn(position, "step") || Object.hasOwn(position, "weight")) return [service, position];
        renamed.push(service);
        const { step, ...rest } = position as { step: unknown };
        return [service, { ...rest, weight: step }];
    });
    return { value: Object.fromEntries(entries), renamed };
}

/** What a service name may be: anything else could not be written as one segment of a config path. */
const SERVICE_NAME = /^[a-z0-9][a-z0-9-]*$/;

export async function liveStackDriver(options: LiveDriverOptions): Promise<StackDriver> {
    const { stack: stackName, workDir } = options;
    const emit = options.onOutput ?? (() => undefined);
    let stack: Stack;
    try {
        stack = await LocalWorkspace.selectStack(
            { stackName, workDir },
            {
                pulumiCommand: options.pulumiCommand,
                // A promotion runs unattended: no check for a newer CLI before every command.
                envVars: { PULUMI_SKIP_UPDATE_CHECK: "true", ...options.envVars },
            },
        );
    } catch (e) {
        if (e instanceof StackNotFoundError) {
            throw new UsageError(`--stack ${stackName}: the backend has no stack named ${stackName} (is the CLI logged in to the right backend?)`);
        }
        if (e instanceof CommandError) throw new Error(`pulumi stack select ${stackName} failed: ${failureLine(commandOutput(e))}`);
        throw e;
    }
    const project = (await stack.workspace.projectSettings()).name;
    const key = (section: string) => `${project}:${section}`;

    /** A section of the stack's config, parsed; read one key at a time so no secret is ever decrypted. */
    async function configSection(section: string): Promise<unknown> {
        try {
            const { value } = await stack.getConfig(key(section));
            return JSON.parse(value);
        } catch (e) {
            if (e instanceof CommandError) throw new Error(`${stackName}: reading config ${key(section)} failed: ${failureLine(commandOutput(e))}`);
            throw new Error(`${stackName}: config ${key(section)} is not a JSON object: ${(e as Error).message}`);
        }
    }

    async function positionsOf(outputs: OutputMap): Promise<Record<string, BlueGreenPosition>> {
        const output = outputs.promotionState;
        if (output !== undefined) {
            const { value, renamed } = renameOutputStep(output.value);
            if (renamed.length) {
                emit(`${stackName}'s promotionState output was written by a program from before the rename of step to weight: reading step as the weight of ${renamed.join(", ")}`);
            }
            const parsed = promotionStateSchema.safeParse(value);
            if (!parsed.success) {
                throw new Error(
                    `${stackName}: the output promotionState should map each blue-green service to { ${Object.keys(blueGreenPositionSchema.shape).join(", ")} }; found ${JSON.stringify(output.value).slice(0, 200)}`,
                );
            }
            return parsed.data;
        }
        // A stack last updated by a program without the output: its config is what that update deployed,
        // unless someone changed the stack file since (the runbook forbids it).
        emit(`${stackName} has no promotionState output yet (last updated by an older program): reading positions from config ${key("deployments")}`);
        return positionsFromDeployments(stackName, key("deployments"), await configSection("deployments"));
    }

    async function namespaceOf(outputs: OutputMap): Promise<string> {
        const output = outputs.kubernetesNamespace?.value;
        if (typeof output === "string" && output) return output;
        const eks = (await configSection("eks")) as { namespace?: unknown } | null;
        if (typeof eks?.namespace !== "string") throw new Error(`${stackName}: no kubernetesNamespace output and no ${key("eks")}.namespace in the config`);
        return eks.namespace;
    }

    return {
        async read(services: string[]): Promise<StackState> {
            let outputs: OutputMap;
            try {
                outputs = await stack.outputs();
            } catch (e) {
                if (e instanceof CommandError) throw new Error(`${stackName}: reading the stack's outputs failed: ${failureLine(commandOutput(e))}`);
                throw e;
            }
            const chosen = selectServices(stackName, await positionsOf(outputs), services);
            return { namespace: await namespaceOf(outputs), services: chosen };
        },

        async apply(updates: PositionUpdate[], purpose: UpdatePurpose, message: string): Promise<UpdateResult> {
            if (!updates.length) return { ok: true, summary: "nothing to update" };
            const config: ConfigMap = {};
            for (const u of updates) {
                if (!SERVICE_NAME.test(u.service)) throw new Error(`apply: service ${JSON.stringify(u.service)} is not a service name (lowercase letters, digits, -)`);
                if (!Number.isInteger(u.weight) || u.weight < 0 || u.weight > 100) throw new Error(`apply: ${u.service} weight should be an integer 0-100, found ${u.weight}`);
                // Under --path the CLI stores "25" as a number and "true"/"false" as booleans, as the schema wants them.
                const at = `${key("deployments")}.services.${u.service}.blueGreen`;
                config[`${at}.weight`] = { value: String(u.weight), secret: false };
                config[`${at}.finalize`] = { value: String(u.finalize), secret: false };
            }
            try {
                await stack.setAllConfig(config, true);
            } catch (e) {
                if (e instanceof CommandError) return { ok: false, summary: `pulumi config set-all failed: ${failureLine(commandOutput(e))}` };
                throw e;
            }
            // The up's own streams give the failure line: the SDK's error carries execa's message, which repeats the command line.
            const out = new LineSplitter(emit);
            const err = new LineSplitter(emit);
            try {
                const result = await stack.up({
                    policyPacks: [options.policyPackDir],
                    policyPackConfigs: [purpose === "rollback" ? options.rollbackConfig : options.advanceConfig],
                    message,
                    onOutput: text => out.push(text),
                    onError: text => err.push(text),
                    // Otherwise the SDK reads the update's summary with `stack history --show-secrets`.
                    showSecrets: false,
                });
                const summary = result.summary;
                const changes = describeChanges(summary?.resourceChanges);
                return { ok: true, summary: `${stackName} update${summary?.version ? ` #${summary.version}` : ""} succeeded${changes ? `: ${changes}` : ""}` };
            } catch (e) {
                if (e instanceof CommandError) {
                    const streamed = { stdout: out.text, stderr: err.text };
                    return { ok: false, summary: `pulumi up failed: ${failureLine(streamed.stdout || streamed.stderr ? streamed : commandOutput(e))}` };
                }
                throw e;
            } finally {
                out.flush();
                err.flush();
            }
        },
    };
}

const CHANGE_WORDS: Record<string, string> = { create: "created", update: "updated", replace: "replaced", delete: "deleted", same: "unchanged" };

/** `{ update: 2, same: 118 }` → "2 updated, 118 unchanged" (the CLI's own order, then any other operation). */
export function describeChanges(changes: Record<string, number> | undefined): string {
    if (!changes) return "";
    const order = [...Object.keys(CHANGE_WORDS), ...Object.keys(changes).filter(op => !CHANGE_WORDS[op]).sort()];
    return order
        .filter(op => changes[op])
        .map(op => `${changes[op]} ${CHANGE_WORDS[op] ?? op}`)
        .join(", ");
}

interface ProcessOutput {
    stdout?: unknown;
    stderr?: unknown;
}

/**
 * A failed command's output. The SDK (3.248) wraps execa's rejection: its CommandResult has stdout "" and
 * stderr = execa's message ("Command failed with exit code N: <the whole command line>" and the output),
 * and keeps execa's error, with the real streams, as `err`, all in a field its typings call private.
 */
function commandOutput(e: CommandError): { stdout: string; stderr: string } {
    const result = (e as unknown as { commandResult?: ProcessOutput & { err?: ProcessOutput } }).commandResult;
    if (typeof result?.err?.stderr === "string") return { stdout: String(result.err.stdout ?? ""), stderr: result.err.stderr };
    const stderr = typeof result?.stderr === "string" ? result.stderr : e.message;
    // Never the header: it repeats the command line.
    return { stdout: typeof result?.stdout === "string" ? result.stdout : "", stderr: stderr.replace(/^Command failed with [^\n]*\n?/, "") };
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g; // eslint-disable-line no-control-regex
const LEVEL_LINE = /^\[(mandatory|advisory|remediate|disabled)\]\s/;
const GENERIC = /^error: (update|preview|refresh) failed\.?$/i;

/**
 * One line saying why a command failed: a mandatory policy violation where the CLI printed one (its
 * "Policy Violations" section: `[mandatory]  pack vX  policy (type: name)` and the message under it),
 * else the first stderr line that says more than "update failed".
 */
export function failureLine(output: { stdout: string; stderr: string }): string {
    const lines = (text: string) =>
        text
            .replace(ANSI, "")
            .split(/\r?\n/)
            .map(l => l.trim())
            .filter(Boolean);
    const stderr = lines(output.stderr);
    const all = [...stderr, ...lines(output.stdout)];
    const at = all.findIndex(l => l.startsWith("[mandatory]") || l.startsWith("mandatory:"));
    let line: string;
    if (at >= 0) {
        const next = all[at + 1];
        const detail = next && !LEVEL_LINE.test(next) && !/^[A-Z][A-Za-z ]*:$/.test(next) ? `: ${next}` : "";
        line = `policy violation ${all[at]}${detail}`;
    } else {
        line = stderr.find(l => !GENERIC.test(l)) ?? stderr[0] ?? "the CLI printed nothing on stderr";
    }
    line = line.replace(/\s+/g, " ");
    return line.length > 400 ? `${line.slice(0, 399)}…` : line;
}

/** Turns the CLI's output chunks into whole lines, and keeps the text. */
class LineSplitter {
    text = "";
    private partial = "";
    constructor(private readonly emit: (line: string) => void) {}

    push(chunk: string): void {
        this.text += chunk;
        const parts = (this.partial + chunk).split(/\r?\n/);
        this.partial = parts.pop() ?? "";
        for (const line of parts) this.emit(line);
    }

    flush(): void {
        if (this.partial) this.emit(this.partial);
        this.partial = "";
    }
}
