// The rehearsal's stack driver: each update is the offline plan of the stack at those positions, checked
// by the whole pack, with the targets the live update would have. The deployment window is the walk's to
// judge at the simulated time, so the plans run under the rollback policy config (window advisory);
// every other policy is enforced as in the live run.
import { StackFileConfig } from "../runtime/stackFiles";
import { describePositions, PositionPlanner, Positions, positionsOf } from "./positionPlans";
import { positionsFromDeployments, selectServices, writePositions } from "./stackState";
import { PositionUpdate, StackDriver, StackState, UpdatePurpose, UpdateResult } from "./types";

export interface RehearsalDriverOptions {
    stack: string;
    /** The project's name: config keys are `<project>:<section>`. */
    project: string;
    /** The stack's config as the caller read it (`readStackConfig`): the rehearsal starts from it, and never changes the caller's copy. */
    config: StackFileConfig;
    /** The offline plans of positions (under the rollback policy config). */
    planner: PositionPlanner;
    /** With `writeBack`, each applied update's positions are written into this stack file, so a rehearsal can resume. */
    stackFile?: string;
    writeBack?: boolean;
}

export function rehearsalStackDriver(options: RehearsalDriverOptions): StackDriver {
    const key = (section: string) => `${options.project}:${section}`;
    const text = options.config.values[key("deployments")];
    const initial = positionsFromDeployments(options.stack, key("deployments"), text === undefined ? undefined : JSON.parse(text));
    let deployed: Positions = positionsOf(Object.entries(initial).map(([service, p]) => ({ service, ...p })));
    let attempted: Positions | undefined;

    return {
        async read(services: string[]): Promise<StackState> {
            const namespace = (JSON.parse(options.config.values[key("eks")] ?? "{}") as { namespace?: string }).namespace ?? "";
            const current = Object.fromEntries(Object.entries(initial).map(([service, p]) => [service, { ...p, ...deployed[service] }]));
            return { namespace, services: selectServices(options.stack, current, services) };
        },

        async apply(updates: PositionUpdate[], purpose: UpdatePurpose, message: string): Promise<UpdateResult> {
            const started = Date.now();
            const to: Positions = { ...deployed, ...positionsOf(updates) };
            let targets: string[];
            let problem: string | undefined;
            try {
                targets =
                    purpose === "stage"
                        ? await options.planner.stageTargets(
                              to,
                              updates.map(u => u.service),
                          )
                        : await options.planner.targets([deployed, ...(attempted ? [attempted] : [])], to);
                problem = await options.planner.problem(to);
            } catch (e) {
                targets = [];
                problem = (e as Error).message.split("\n").slice(0, 2).join(" ");
            }
            if (problem) {
                attempted = to;
                return {
                    ok: false,
                    summary: `offline plan refused (${purpose}: ${message}): ${problem}`,
                    targets,
                    durationMs: Date.now() - started,
                    smoke: [],
                };
            }
            const plan = await options.planner.plan(to);
            // A rehearsal runs no Job: it names the smoke tests the update would await.
            const smoke =
                purpose === "stage"
                    ? plan.resources
                          .filter(r => r.type === "kubernetes:batch/v1:Job" && targets.includes(r.urn))
                          .map(r => ({
                              service: r.name.replace(/-smoke$/, ""),
                              job: String((r.inputs.metadata as { name?: unknown } | undefined)?.name ?? r.name),
                              result: "planned" as const,
                          }))
                    : [];
            deployed = to;
            attempted = undefined;
            if (options.writeBack && options.stackFile) writePositions(options.stackFile, options.project, deployed);
            return {
                ok: true,
                summary: `offline plan of ${describePositions(positionsOf(updates))}: ${plan.document.summary.resources} resources, ${targets.length} targets, the pack passed`,
                targets,
                durationMs: Date.now() - started,
                smoke,
            };
        },
    };
}
