import * as pulumi from "@pulumi/pulumi";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { decodeProperties } from "./propertyValues";
import { offlineMocks } from "./offlineMocks";
import { PlannedResource, plannedResource } from "../engine/resource";
import { takeConfigTags } from "../../stacks/configSource";

export interface ProgramRunOptions {
    project: string;
    stack: string;
    /** The program: its entry module (absolute path, run afresh each time) or, in tests, a function. */
    program: { entry: string } | (() => Record<string, unknown> | void);
    /** Config by full key (`project:key`), values as the CLI passes them (objects as JSON). */
    config: Record<string, string>;
    secretKeys: string[];
}

export interface ProgramRun {
    resources: PlannedResource[];
    /** The entry module's exports, resolved, with their secret-ness. */
    outputs: Record<string, { value: unknown; secret: boolean; known: boolean }>;
    /** What stopped the program, if anything (invalid config, a failing apply). */
    error?: Error;
    /** By URN, the config key each tagged resource was declared from (stacks/configSource.ts); children are not listed. */
    configTags: Record<string, { key: string; entries?: string[] }>;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
    getProtect(): boolean;
    getIgnorechangesList(): string[];
    getDeletebeforereplace(): boolean;
    getDeletebeforereplacedefined(): boolean;
    getAdditionalsecretoutputsList(): string[];
    getVersion(): string;
}
type Callback = (err: Error | null, response?: { getUrn(): string }) => void;

/**
 * Runs the real program in this process under Pulumi's mock runtime and records every registration
 * with what the engine would know of it: parent, provider, dependencies, options and which inputs were
 * secret. One run at a time: the Pulumi runtime is process-global.
 */
export async function runProgram(opts: ProgramRunOptions): Promise<ProgramRun> {
    await pulumi.runtime.setMocks(offlineMocks, opts.project, opts.stack, true);
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);

    const resources = new Map<string, PlannedResource>();
    // The SDK version each registration names: the engine's default provider for it carries that version.
    const versions = new Map<string, string>();
    const monitor = getMonitor() as unknown as {
        registerResource(req: RegisterRequest, cb: Callback): unknown;
        registerResourceOutputs(
            req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined },
            cb: Callback,
        ): unknown;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        register(req, (err, response) => {
            if (!err && response) {
                const urn = response.getUrn();
                resources.set(urn, recordOf(urn, req));
                if (req.getVersion()) versions.set(urn, req.getVersion());
            }
            cb(err, response);
        });
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        const record = resources.get(req.getUrn());
        if (record) {
            const decoded = decodeProperties(req.getOutputs()?.toJavaScript() ?? {});
            record.outputs = decoded.values;
            record.outputSecretPaths = decoded.secretPaths;
        }
        return registerOutputs(req, cb);
    };

    // Tags left by an earlier run in this process (one that failed half-way) are not this run's.
    takeConfigTags();
    const failures: Error[] = [];
    const onRejection = (reason: unknown) => failures.push(asError(reason));
    process.on("unhandledRejection", onRejection);
    // The SDK captures a stack trace for every promise it makes (runtime/debuggable.js) and every
    // resource it constructs (its source position): about a sixth of a plan's CPU, for leak reports
    // and positions the offline run never shows. TRADING_PLATFORM_DEBUG=1 keeps them.
    const stackTraceLimit = Error.stackTraceLimit;
    if (!process.env.TRADING_PLATFORM_DEBUG) Error.stackTraceLimit = 0;
    let exported: Record<string, unknown> = {};
    let outputs: ProgramRun["outputs"] = {};
    let configTags: ProgramRun["configTags"] = {};
    try {
        try {
            if (typeof opts.program === "function") {
                exported = opts.program() ?? {};
            } else {
                // Only the entry has side effects (it declares the resources); the modules it imports export
                // functions and classes. Dropping the entry from the cache makes a second run declare afresh.
                delete require.cache[opts.program.entry];
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry by path, loaded afresh on each run
                exported = require(opts.program.entry) as Record<string, unknown>;
            }
            await waitForRPCs();
        } catch (e) {
            failures.push(asError(e));
        }
        if (failures.length === 0) {
            outputs = await resolveExports(exported);
            configTags = await resolveConfigTags();
        }
        // Let rejections raised while settling reach the handler before it goes.
        await new Promise(resolve => setImmediate(resolve));
    } finally {
        process.off("unhandledRejection", onRejection);
        Error.stackTraceLimit = stackTraceLimit;
    }

    const registered = [...resources.values()];
    return {
        // A program that failed declares nothing the plan shows: the engine's own resources only join a complete run.
        resources: [...registered, ...(failures.length === 0 ? engineRegistered(opts, registered, outputs, versions) : [])].sort((a, b) =>
            a.urn.localeCompare(b.urn),
        ),
        outputs,
        error: failures[0],
        configTags,
    };
}

/** The config tags the program recorded, by the URN each resolved to. */
async function resolveConfigTags(): Promise<ProgramRun["configTags"]> {
    const result: ProgramRun["configTags"] = {};
    for (const tag of takeConfigTags()) {
        const urn = (await (tag.urn as unknown as { promise(): Promise<string> }).promise()) as string;
        result[urn] = { key: tag.key, ...(tag.entries ? { entries: tag.entries } : {}) };
    }
    return result;
}

/** True for what the engine registers itself (the root stack, default providers), not the program. */
export function isEngineRegistered(resource: { type: string; name: string }): boolean {
    return (
        resource.type === "pulumi:pulumi:Stack" || (resource.type.startsWith("pulumi:providers:") && /^default(_|$)/.test(resource.name))
    );
}

/** The root stack resource's URN: `urn:pulumi:<stack>::<project>::pulumi:pulumi:Stack::<project>-<stack>`. */
export function stackUrn(project: string, stack: string): string {
    return `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
}

/**
 * What the engine registers beside the program's own resources, which the mock runtime does not: the
 * root `pulumi:pulumi:Stack` (parent of every resource registered without one, its outputs the
 * program's exports) and a default provider per package and version for each custom resource that
 * names no provider (`pulumi:providers:<pkg>::default_<x_y_z>`, configured from the stack's `<pkg>:` keys).
 * Sets the parent and provider of the program's resources to match.
 */
function engineRegistered(
    opts: ProgramRunOptions,
    registered: PlannedResource[],
    outputs: ProgramRun["outputs"],
    versions: ReadonlyMap<string, string>,
): PlannedResource[] {
    const root = stackUrn(opts.project, opts.stack);
    const stackOutputs = Object.fromEntries(Object.entries(outputs).map(([k, o]) => [k, o.value]));
    const added: PlannedResource[] = [
        plannedResource(
            root,
            "pulumi:pulumi:Stack",
            `${opts.project}-${opts.stack}`,
            {},
            {
                custom: false,
                outputs: stackOutputs,
                outputSecretPaths: Object.entries(outputs)
                    .filter(([, o]) => o.secret)
                    .map(([k]) => k),
            },
        ),
    ];
    const defaults = new Map<string, PlannedResource>();
    for (const resource of registered) {
        const isProvider = resource.type.startsWith("pulumi:providers:");
        if (!resource.parent) resource.parent = root;
        if (!resource.custom || isProvider || resource.provider) continue;
        const pkg = resource.type.slice(0, resource.type.indexOf(":"));
        const version = versions.get(resource.urn) ?? "";
        const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
        const urn = `urn:pulumi:${opts.stack}::${opts.project}::pulumi:providers:${pkg}::${name}`;
        if (!defaults.has(urn)) {
            const prefix = `${pkg}:`;
            const inputs: Record<string, unknown> = version ? { version } : {};
            const secretPaths: string[] = [];
            for (const [key, value] of Object.entries(opts.config)) {
                if (!key.startsWith(prefix)) continue;
                const setting = key.slice(prefix.length);
                inputs[setting] = value;
                if (opts.secretKeys.includes(key)) secretPaths.push(setting);
            }
            defaults.set(urn, plannedResource(urn, `pulumi:providers:${pkg}`, name, inputs, { secretPaths }));
        }
        resource.provider = urn;
    }
    return [...added, ...defaults.values()];
}

function recordOf(urn: string, req: RegisterRequest): PlannedResource {
    const decoded = decodeProperties(req.getObject()?.toJavaScript() ?? {});
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
        propertyDependencies[key] = deps.getUrnsList();
    });
    const providerRef = req.getProvider();
    return {
        urn,
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        parent: req.getParent() || undefined,
        // A provider reference is `<urn>::<id>`; the id is unknown in a preview.
        provider: providerRef ? providerRef.slice(0, providerRef.lastIndexOf("::")) : undefined,
        inputs: decoded.values,
        outputs: decoded.values,
        secretPaths: decoded.secretPaths,
        unknownPaths: decoded.unknownPaths,
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        options: {
            protect: req.getProtect(),
            ignoreChanges: req.getIgnorechangesList(),
            deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        },
    };
}

async function resolveExports(exported: Record<string, unknown>): Promise<ProgramRun["outputs"]> {
    const result: ProgramRun["outputs"] = {};
    for (const [name, value] of Object.entries(exported)) {
        if (name === "__esModule") continue;
        const output = pulumi.output(value) as unknown as {
            isKnown: Promise<boolean>;
            isSecret: Promise<boolean>;
            promise(): Promise<unknown>;
        };
        const [known, secret] = await Promise.all([output.isKnown, output.isSecret]);
        result[name] = { value: known ? await output.promise() : undefined, secret, known };
    }
    return result;
}

/**
 * Resolves once every registration (and every RPC a registration starts) has finished: the drain the
 * language host itself waits on before it reports a program done. Internal to the SDK, hence the cast.
 */
function waitForRPCs(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs?: () => Promise<void> };
    if (typeof settings.waitForRPCs !== "function") {
        throw new Error("@pulumi/pulumi no longer exposes waitForRPCs; update tools/runtime/program.ts");
    }
    return settings.waitForRPCs();
}

function asError(reason: unknown): Error {
    return reason instanceof Error ? reason : new Error(String(reason));
}
