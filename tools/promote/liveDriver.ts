// The live stack driver of `npm run promote`: every update is one real `pulumi up` of the stack through
// Pulumi's Automation API, with the policy pack and the promotion's policy config, limited (`--target`)
// to the resources whose inputs change between the offline plans of the position it leaves and the one
// it makes. Why an update failed comes from the engine's events (policy violations, the failing
// resource's diagnostics), never from the CLI's printed text. After every update, ok or failed, the
// stack file's positions are those the stack's `promotionState` output reported after the last
// successful one: the file never keeps config that was not deployed.
import * as path from "path";
import {
    CommandError,
    ConfigMap,
    EngineEvent,
    LocalWorkspace,
    OutputMap,
    PulumiCommand,
    Stack,
    StackNotFoundError,
} from "@pulumi/pulumi/automation";
import { z } from "zod";
import { BlueGreenPosition } from "../../platform";
import { blueGreenPositionSchema } from "../../stacks/config/deployments";
import { UsageError } from "../cli/errors";
import { describePositions, PositionPlanner, Positions, positionsOf } from "./positionPlans";
import { positionsFromDeployments, selectServices, writePositions } from "./stackState";
import { PositionUpdate, SmokeOutcome, StackDriver, StackState, UpdatePurpose, UpdateResult } from "./types";

export interface LiveDriverOptions {
    /** The repository: Pulumi.yaml and Pulumi.<stack>.yaml. */
    workDir: string;
    stack: string;
    /** The policy pack's directory (<repo>/policy). */
    policyPackDir: string;
    /** Policy config of a stage, advance or finalize: the deployment window mandatory. */
    advanceConfig: string;
    /** Policy config of a withdrawal or rollback: the deployment window advisory. */
    rollbackConfig: string;
    /** The offline plans of the stack file's positions: each update's targets. */
    planner: PositionPlanner;
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
        if (!position || typeof position !== "object" || !Object.hasOwn(position, "step") || Object.hasOwn(position, "weight")) {
            return [service, position];
        }
        renamed.push(service);
        const { step, ...rest } = position as { step: unknown };
        return [service, { ...rest, weight: step }];
    });
    return { value: Object.fromEntries(entries), renamed };
}

/** What a service name may be: anything else could not be written as one segment of a config path. */
const SERVICE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** The Pulumi CLI on PATH (or the given one), or a usage error saying it is missing, before anything runs. */
async function pulumiCli(given: PulumiCommand | undefined): Promise<PulumiCommand> {
    if (given) return given;
    try {
        return await PulumiCommand.get();
    } catch (e) {
        // The SDK runs `pulumi version` through execa and keeps its error (code ENOENT) as commandResult.err.
        const code = (e as { commandResult?: { err?: { code?: unknown } } }).commandResult?.err?.code;
        if (code === "ENOENT") {
            throw new UsageError(
                "the Pulumi CLI is not installed here (no `pulumi` on PATH): install it (https://www.pulumi.com/docs/iac/download-install/), or rehearse offline with --rehearse",
            );
        }
        throw e;
    }
}

export async function liveStackDriver(options: LiveDriverOptions): Promise<StackDriver> {
    const { stack: stackName, workDir } = options;
    const emit = options.onOutput ?? (() => undefined);
    const envVars = { PULUMI_SKIP_UPDATE_CHECK: "true", ...options.envVars };
    const pulumiCommand = await pulumiCli(options.pulumiCommand);
    let stack: Stack;
    try {
        // A promotion runs unattended: no check for a newer CLI before every command.
        stack = await LocalWorkspace.selectStack({ stackName, workDir }, { pulumiCommand, envVars });
    } catch (e) {
        if (e instanceof StackNotFoundError) {
            throw new UsageError(
                `--stack ${stackName}: the backend has no stack named ${stackName} (is the CLI logged in to the right backend?)`,
            );
        }
        if (e instanceof CommandError) {
            throw new Error(`pulumi stack select ${stackName} failed: ${cliErrorLine(commandStderr(e))}`, { cause: e });
        }
        throw e;
    }
    const project = (await stack.workspace.projectSettings()).name;
    const key = (section: string) => `${project}:${section}`;
    const stackFile = path.join(workDir, `Pulumi.${stackName}.yaml`);

    /** Every blue-green service's position after the last successful update (or the first read). */
    let deployed: Positions | undefined;
    /** The positions of an update that failed since: it may have applied part of itself. */
    let attempted: Positions | undefined;

    /** A section of the stack's config, parsed; read one key at a time so no secret is ever decrypted. */
    async function configSection(section: string): Promise<unknown> {
        try {
            const { value } = await stack.getConfig(key(section));
            return JSON.parse(value);
        } catch (e) {
            if (e instanceof CommandError) {
                throw new Error(`${stackName}: reading config ${key(section)} failed: ${cliErrorLine(commandStderr(e))}`, { cause: e });
            }
            throw new Error(`${stackName}: config ${key(section)} is not a JSON object: ${(e as Error).message}`, { cause: e });
        }
    }

    function positionsFromOutput(outputs: OutputMap): Record<string, BlueGreenPosition> | undefined {
        const output = outputs.promotionState;
        if (output === undefined) return undefined;
        const { value, renamed } = renameOutputStep(output.value);
        if (renamed.length) {
            emit(
                `${stackName}'s promotionState output was written by a program from before the rename of step to weight: reading step as the weight of ${renamed.join(", ")}`,
            );
        }
        const parsed = promotionStateSchema.safeParse(value);
        if (!parsed.success) {
            throw new Error(
                `${stackName}: the output promotionState should map each blue-green service to { ${Object.keys(blueGreenPositionSchema.shape).join(", ")} }; found ${JSON.stringify(output.value).slice(0, 200)}`,
            );
        }
        return parsed.data;
    }

    async function positionsOfStack(outputs: OutputMap): Promise<Record<string, BlueGreenPosition>> {
        const fromOutput = positionsFromOutput(outputs);
        if (fromOutput) return fromOutput;
        // A stack last updated by a program without the output: its config is what that update deployed,
        // unless someone changed the stack file since (the runbook forbids it).
        emit(
            `${stackName} has no promotionState output yet (last updated by an older program): reading positions from config ${key("deployments")}`,
        );
        return positionsFromDeployments(stackName, key("deployments"), await configSection("deployments"));
    }

    async function namespaceOf(outputs: OutputMap): Promise<string> {
        const output = outputs.kubernetesNamespace?.value;
        if (typeof output === "string" && output) return output;
        const eks = (await configSection("eks")) as { namespace?: unknown } | null;
        if (typeof eks?.namespace !== "string") {
            throw new Error(`${stackName}: no kubernetesNamespace output and no ${key("eks")}.namespace in the config`);
        }
        return eks.namespace;
    }

    /** The stack file says what the last successful update deployed. */
    function recordDeployed(): void {
        if (!deployed) return;
        const skipped = writePositions(stackFile, project, deployed);
        if (skipped.length) {
            emit(`${stackFile} declares no blue-green ${skipped.join(", ")}: their deployed positions are not written there`);
        }
    }

    return {
        async read(services: string[]): Promise<StackState> {
            let outputs: OutputMap;
            try {
                outputs = await stack.outputs();
            } catch (e) {
                if (e instanceof CommandError) {
                    throw new Error(`${stackName}: reading the stack's outputs failed: ${cliErrorLine(commandStderr(e))}`, { cause: e });
                }
                throw e;
            }
            const positions = await positionsOfStack(outputs);
            deployed = positionsOf(Object.entries(positions).map(([service, p]) => ({ service, ...p })));
            // From the first read on, whatever the exit, the stack file says what is deployed.
            recordDeployed();
            return { namespace: await namespaceOf(outputs), services: selectServices(stackName, positions, services) };
        },

        async apply(updates: PositionUpdate[], purpose: UpdatePurpose, message: string): Promise<UpdateResult> {
            const started = Date.now();
            if (!deployed) throw new Error("apply before read: the driver does not know what is deployed");
            for (const u of updates) {
                if (!SERVICE_NAME.test(u.service)) {
                    throw new Error(`apply: service ${JSON.stringify(u.service)} is not a service name (lowercase letters, digits, -)`);
                }
                if (!Number.isInteger(u.weight) || u.weight < 0 || u.weight > 100) {
                    throw new Error(`apply: ${u.service} weight should be an integer 0-100, found ${u.weight}`);
                }
            }
            const to: Positions = { ...deployed, ...positionsOf(updates) };
            const targets =
                purpose === "stage"
                    ? await options.planner.stageTargets(
                          to,
                          updates.map(u => u.service),
                      )
                    : await options.planner.targets([deployed, ...(attempted ? [attempted] : [])], to);
            if (!targets.length) {
                return {
                    ok: true,
                    summary: `nothing to change (${describePositions(positionsOf(updates))} is deployed)`,
                    targets,
                    durationMs: 0,
                    smoke: [],
                };
            }

            const config: ConfigMap = {};
            for (const u of updates) {
                // Under --path the CLI stores "25" as a number and "true"/"false" as booleans, as the schema wants them.
                const at = `${key("deployments")}.services.${u.service}.blueGreen`;
                config[`${at}.weight`] = { value: String(u.weight), secret: false };
                config[`${at}.finalize`] = { value: String(u.finalize), secret: false };
            }
            try {
                await stack.setAllConfig(config, true);
            } catch (e) {
                recordDeployed();
                if (e instanceof CommandError) {
                    return {
                        ok: false,
                        summary: `pulumi config set-all failed: ${cliErrorLine(commandStderr(e))}`,
                        targets,
                        durationMs: Date.now() - started,
                        smoke: [],
                    };
                }
                throw e;
            }
            const events: EngineEvent[] = [];
            const out = new LineSplitter(emit);
            const err = new LineSplitter(emit);
            try {
                const result = await stack.up({
                    target: targets,
                    policyPacks: [options.policyPackDir],
                    policyPackConfigs: [purpose === "rollback" || purpose === "withdraw" ? options.rollbackConfig : options.advanceConfig],
                    message,
                    onEvent: event => events.push(event),
                    onOutput: text => out.push(text),
                    onError: text => err.push(text),
                    // Otherwise the SDK reads the update's summary with `stack history --show-secrets`.
                    showSecrets: false,
                });
                const after = positionsFromOutput(result.outputs);
                if (after) deployed = positionsOf(Object.entries(after).map(([service, p]) => ({ service, ...p })));
                else deployed = to;
                attempted = undefined;
                recordDeployed();
                const changes = describeChanges(result.summary?.resourceChanges ?? summaryOf(events)?.resourceChanges);
                return {
                    ok: true,
                    summary: `${stackName} update${result.summary?.version ? ` #${result.summary.version}` : ""} succeeded (${targets.length} targets)${changes ? `: ${changes}` : ""}`,
                    targets,
                    durationMs: Date.now() - started,
                    smoke: smokeFromEvents(events),
                };
            } catch (e) {
                if (!(e instanceof CommandError)) throw e;
                attempted = to;
                recordDeployed();
                const reason = failureFromEvents(events) ?? cliErrorLine(err.text || commandStderr(e));
                return {
                    ok: false,
                    summary: `pulumi up failed: ${reason}`,
                    targets,
                    durationMs: Date.now() - started,
                    smoke: smokeFromEvents(events),
                    refusedBy: refusingPolicy(events),
                };
            } finally {
                out.flush();
                err.flush();
            }
        },
    };
}

const CHANGE_WORDS: Record<string, string> = {
    create: "created",
    update: "updated",
    replace: "replaced",
    delete: "deleted",
    same: "unchanged",
};

/** `{ update: 2, same: 118 }` → "2 updated, 118 unchanged" (the CLI's own order, then any other operation). */
export function describeChanges(changes: Record<string, number> | undefined): string {
    if (!changes) return "";
    const order = [
        ...Object.keys(CHANGE_WORDS),
        ...Object.keys(changes)
            .filter(op => !CHANGE_WORDS[op])
            .sort(),
    ];
    return order
        .filter(op => changes[op])
        .map(op => `${changes[op]} ${CHANGE_WORDS[op] ?? op}`)
        .join(", ");
}

const summaryOf = (events: EngineEvent[]) => events.find(e => e.summaryEvent)?.summaryEvent;
/** `kubernetes:batch/v1:Job::api-smoke`: a URN's type and name, enough to find it in a plan. */
export const shortUrn = (urn: string) => urn.split("::").slice(-2).join("::").replace(/^.*\$/, "");
const oneLine = (text: string, max = 400) => {
    const line = text.trim().replace(/\s+/g, " ");
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/**
 * Why an update failed, from the engine's events: the first mandatory policy violation (policy, level,
 * URN, message), else the error diagnostics of the resource whose operation failed, else the first
 * error diagnostic. Undefined when the engine reported nothing (the CLI failed before it ran).
 */
const mandatoryViolation = (events: EngineEvent[]) =>
    events.map(e => e.policyEvent).find(p => p && String(p.enforcementLevel) !== "advisory" && String(p.enforcementLevel) !== "warning");

/** The policy whose mandatory violation failed the update, if one did. */
export const refusingPolicy = (events: EngineEvent[]): string | undefined => mandatoryViolation(events)?.policyName;

export function failureFromEvents(events: EngineEvent[]): string | undefined {
    const violation = mandatoryViolation(events);
    if (violation) {
        return `policy violation: ${violation.policyName} [${violation.enforcementLevel}] (${violation.policyPackName} ${violation.policyPackVersion}) on ${violation.resourceUrn ? shortUrn(violation.resourceUrn) : "the stack"}: ${oneLine(violation.message)}`;
    }
    const failed = events.map(e => e.resOpFailedEvent?.metadata.urn).find((urn): urn is string => Boolean(urn));
    const errors = events.map(e => e.diagnosticEvent).filter(d => d && d.severity === "error") as NonNullable<
        EngineEvent["diagnosticEvent"]
    >[];
    const onFailed = failed ? errors.filter(d => d.urn === failed) : [];
    if (failed && onFailed.length) return `${shortUrn(failed)}: ${oneLine(onFailed.map(d => d.message).join(" "))}`;
    const first = errors.find(d => d.urn) ?? errors[0];
    if (first) return `${first.urn ? `${shortUrn(first.urn)}: ` : ""}${oneLine(first.message)}`;
    return undefined;
}

const JOB_TYPE = "kubernetes:batch/v1:Job";
const jobName = (meta: { new?: { inputs?: Record<string, unknown> }; old?: { inputs?: Record<string, unknown> } }) =>
    ((meta.new?.inputs?.metadata ?? meta.old?.inputs?.metadata) as { name?: string } | undefined)?.name ?? "?";

/** Each smoke-test Job the update saw: run and passed, failed (with its diagnostics), or left unchanged. */
export function smokeFromEvents(events: EngineEvent[]): SmokeOutcome[] {
    const outcomes = new Map<string, SmokeOutcome>();
    const names = new Map<string, string>();
    const nameOf = (urn: string, meta: Parameters<typeof jobName>[0]) => {
        const name = jobName(meta);
        if (name !== "?") names.set(urn, name);
        return names.get(urn) ?? name;
    };
    const serviceOf = (urn: string) =>
        urn
            .split("::")
            .pop()
            ?.replace(/-smoke$/, "") ?? urn;
    for (const event of events) {
        const pre = event.resourcePreEvent?.metadata;
        if (pre?.type === JOB_TYPE && !event.resourcePreEvent?.planning && String(pre.op) !== "delete") {
            outcomes.set(pre.urn, {
                service: serviceOf(pre.urn),
                job: nameOf(pre.urn, pre),
                result: String(pre.op) === "same" ? "unchanged" : "planned",
            });
        }
        const done = event.resOutputsEvent?.metadata;
        if (done?.type === JOB_TYPE && String(done.op) !== "same" && String(done.op) !== "delete") {
            outcomes.set(done.urn, { service: serviceOf(done.urn), job: nameOf(done.urn, done), result: "passed" });
        }
        const failed = event.resOpFailedEvent?.metadata;
        if (failed?.type === JOB_TYPE) {
            const detail = events
                .map(e => e.diagnosticEvent)
                .filter(d => d?.urn === failed.urn && d.severity === "error")
                .map(d => d?.message ?? "")
                .join(" ");
            outcomes.set(failed.urn, {
                service: serviceOf(failed.urn),
                job: nameOf(failed.urn, failed),
                result: "failed",
                detail: oneLine(detail || "the Job failed"),
            });
        }
    }
    // A Job the engine began and never finished: the update stopped before it (another resource failed).
    return [...outcomes.values()].map(o =>
        o.result === "planned" ? { ...o, result: "failed" as const, detail: "the update stopped before the Job completed" } : o,
    );
}

/** The stderr of a failed CLI command (the SDK keeps execa's error, with the real streams, as `err`). */
function commandStderr(e: CommandError): string {
    const result = (e as unknown as { commandResult?: { stderr?: unknown; err?: { stderr?: unknown } } }).commandResult;
    if (typeof result?.err?.stderr === "string") return result.err.stderr;
    if (typeof result?.stderr === "string") return result.stderr.replace(/^Command failed with [^\n]*\n?/, "");
    return e.message.replace(/^Command failed with [^\n]*\n?/, "");
}

/** The CLI's own error line for a command that failed before any engine event (a lock, a login, a missing key). */
export function cliErrorLine(stderr: string): string {
    const lines = stderr
        .split(/\r?\n/)
        .map(l => l.trim())
        .filter(Boolean);
    const specific = lines.filter(l => /^error:/i.test(l) && !/^error: (update|preview|refresh) failed\.?$/i.test(l));
    return oneLine(specific[0] ?? lines[lines.length - 1] ?? "the CLI printed nothing on stderr");
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
