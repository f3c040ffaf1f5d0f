// The offline plans of the positions a promotion takes: what pre-flight checks before the first update,
// what the rehearsal applies, and how an update is limited to what it changes. An update's targets are
// the resources whose inputs differ between the plans of the position it leaves and the one it makes
// (added, removed or changed, by URN), so a rollback touches the traffic objects and never waits on
// the Docker host, GitHub or a Helm chart.
import { createHash } from "crypto";
import * as fs from "fs";
import { PlanResult, planStack } from "../plan/planStack";
import { PlannedResource } from "../engine/resource";
import { isEngineRegistered, runProgram } from "../runtime/program";
import { StackFileConfig } from "../runtime/stackFiles";
import { ServicePosition } from "./types";

/** Where each service stands, by name: the part of the stack's config an update changes. */
export type Positions = Record<string, { weight: number; finalize: boolean }>;

export const positionsOf = (services: Pick<ServicePosition, "service" | "weight" | "finalize">[]): Positions =>
    Object.fromEntries(services.map(s => [s.service, { weight: s.weight, finalize: s.finalize }]));

/** `api 25 %, websocket 100 % finalized`: positions in a message. */
export const describePositions = (positions: Positions): string =>
    Object.entries(positions)
        .map(([service, p]) => `${service} ${p.weight} %${p.finalize ? " finalized" : ""}`)
        .join(", ");

/**
 * A JSON value with its objects' keys sorted, and a blue-green `finalize: false` (the schema's default)
 * dropped: two configs that say the same thing give the same text, whether `config set-all` wrote the
 * default or not.
 */
function canonical(value: unknown, key = ""): unknown {
    if (Array.isArray(value)) return value.map(v => canonical(v));
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([k, v]) => !(key === "blueGreen" && k === "finalize" && v === false))
                .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
                .map(([k, v]) => [k, canonical(v, k)]),
        );
    }
    return value;
}
const configKey = (o: { project: string; stack: string; config: Record<string, string>; secretKeys: string[] }) =>
    createHash("sha256")
        .update(
            JSON.stringify([
                o.project,
                o.stack,
                Object.entries(o.config)
                    .sort(([a], [b]) => (a < b ? -1 : 1))
                    .map(([k, v]) => {
                        try {
                            return [k, canonical(JSON.parse(v))];
                        } catch {
                            return [k, v];
                        }
                    }),
                [...o.secretKeys].sort(),
            ]),
        )
        .digest("hex");

// One program run per config for the whole process (pre-flight, the rehearsal's updates and a test's
// stand-in CLI plan the same positions), one at a time: the Pulumi runtime is process-wide.
const runs = new Map<string, ReturnType<typeof runProgram>>();
let running: Promise<unknown> = Promise.resolve();
export function cachedProgramRun(options: Parameters<typeof runProgram>[0]): ReturnType<typeof runProgram> {
    const key = configKey(options);
    let run = runs.get(key);
    if (!run) {
        run = running.then(() => runProgram(options));
        running = run.catch(() => undefined);
        runs.set(key, run);
    }
    return run;
}

/** The offline plan of a stack config under a policy config, its program run shared per config (the pack evaluated afresh: a policy may read the clock). */
export function planConfig(stack: string, config: StackFileConfig, policyConfigFile: string): Promise<PlanResult> {
    return planStack({ stack, config, policyConfigFile, runProgram: cachedProgramRun });
}

// A promotion's own plans run under the rollback policy config, where the one policy that reads the
// clock (the deployment window) is advisory: a position's verdict does not change during a run, so
// each plan is made once per process.
const plans = new Map<string, Promise<PlanResult>>();
function cachedPlan(stack: string, project: string, config: StackFileConfig, policyConfigFile: string): Promise<PlanResult> {
    const policy = fs.existsSync(policyConfigFile) ? fs.readFileSync(policyConfigFile, "utf8") : "";
    const key = `${configKey({ project, stack, config: config.values, secretKeys: config.secretKeys })}:${createHash("sha256").update(`${policyConfigFile}\n${policy}`).digest("hex")}`;
    let plan = plans.get(key);
    if (!plan) {
        plan = planConfig(stack, config, policyConfigFile);
        plans.set(key, plan);
        plan.catch(() => plans.delete(key));
    }
    return plan;
}

/** The stack config with each service of `positions` at its weight and finalize (everything else as given). */
export function configAt(config: StackFileConfig, project: string, positions: Positions): StackFileConfig {
    const key = `${project}:deployments`;
    const text = config.values[key];
    if (text === undefined) throw new Error(`the stack config has no ${key}`);
    const deployments = JSON.parse(text) as { services?: Record<string, { blueGreen?: { weight?: number; finalize?: boolean } }> };
    for (const [service, p] of Object.entries(positions)) {
        const blueGreen = deployments.services?.[service]?.blueGreen;
        if (!blueGreen) throw new Error(`${key}: ${service} has no blueGreen section`);
        Object.assign(blueGreen, { weight: p.weight, finalize: p.finalize });
    }
    return { values: { ...config.values, [key]: JSON.stringify(deployments) }, secretKeys: [...config.secretKeys] };
}

/** Why the plan refuses the position (the program's error, the first mandatory violation or policy error), or undefined. */
export function planProblem(plan: PlanResult): string | undefined {
    if (plan.document.summary.passed) return undefined;
    const violation = plan.document.policyResults.violations.find(v => v.enforcementLevel === "mandatory");
    if (violation) return `policy ${violation.policyName} on ${violation.urn ?? "the stack"}: ${violation.detail}`;
    return `policy error: ${plan.document.policyResults.errors[0]?.message ?? "unknown"}`;
}

/** The resources an update must touch to take the stack from one plan to the other: URNs added, removed or with other inputs. */
export function changedUrns(from: PlannedResource[], to: PlannedResource[]): string[] {
    // The engine targets the root stack and the providers itself (step_generator.go: implicitly targeted).
    const own = (resources: PlannedResource[]) =>
        new Map(resources.filter(r => !isEngineRegistered(r) && !r.type.startsWith("pulumi:providers:")).map(r => [r.urn, r]));
    const before = own(from);
    const after = own(to);
    const changed = new Set<string>();
    for (const [urn, resource] of after) {
        const old = before.get(urn);
        if (!old || JSON.stringify(old.inputs) !== JSON.stringify(resource.inputs)) changed.add(urn);
    }
    for (const urn of before.keys()) if (!after.has(urn)) changed.add(urn);
    return [...changed].sort();
}

/** The resources of the named BlueGreenService components (every descendant), in a plan. */
export function serviceUrns(resources: PlannedResource[], services: string[]): string[] {
    const byUrn = new Map(resources.map(r => [r.urn, r]));
    const roots = new Set(
        resources.filter(r => r.type === "trading-platform:k8s:BlueGreenService" && services.includes(r.name)).map(r => r.urn),
    );
    const under = (r: PlannedResource): boolean => {
        for (let parent = r.parent; parent; parent = byUrn.get(parent)?.parent) if (roots.has(parent)) return true;
        return false;
    };
    return resources
        .filter(r => r.custom && under(r))
        .map(r => r.urn)
        .sort();
}

export interface PositionPlanner {
    /** The offline plan with the services at `positions` (the rest as the stack file says), under the planner's policy config (made once per process). */
    plan(positions: Positions, policyConfigFile?: string): Promise<PlanResult>;
    /** Why the position cannot be deployed, or undefined. */
    problem(positions: Positions): Promise<string | undefined>;
    /** What an update to `to` must touch, coming from any of `from` (the last deployed position, and a failed update's). */
    targets(from: Positions[], to: Positions): Promise<string[]>;
    /** What a stage update touches: every resource of the services' components (unchanged ones stay as they are). */
    stageTargets(to: Positions, services: string[]): Promise<string[]>;
}

export function positionPlanner(options: {
    stack: string;
    project: string;
    config: StackFileConfig;
    policyConfigFile: string;
}): PositionPlanner {
    const plan = (positions: Positions, policyConfigFile = options.policyConfigFile) =>
        cachedPlan(options.stack, options.project, configAt(options.config, options.project, positions), policyConfigFile);
    const problem = async (positions: Positions) => {
        try {
            return planProblem(await plan(positions));
        } catch (e) {
            return (e as Error).message.split("\n").slice(0, 3).join(" ").replace(/\s+/g, " ");
        }
    };
    return {
        plan,
        problem,
        async targets(from, to) {
            const next = (await plan(to)).resources;
            const changed = new Set<string>();
            for (const positions of from) for (const urn of changedUrns((await plan(positions)).resources, next)) changed.add(urn);
            return [...changed].sort();
        },
        async stageTargets(to, services) {
            return serviceUrns((await plan(to)).resources, services);
        },
    };
}
