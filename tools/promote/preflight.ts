// Pre-flight: everything a promotion can check before its first update, so that bad input is exit 2 with
// nothing changed rather than a surprise thirty minutes into a walk. Every position the run may take
// (each step, finalize, the withdrawal and rollback) is planned offline with the pack; every query is
// rendered and evaluated once against Prometheus (a syntax error or an unknown placeholder is refused).
import { PromotionSettings } from "../../stacks/config/promotion";
import { UsageError } from "../cli/errors";
import { plannedPositions, unreachableProblem } from "./judge";
import { defaultFacts, ServiceFacts } from "./machine";
import { describePositions, PositionPlanner, positionsOf } from "./positionPlans";
import { renderQuery } from "./prometheus";
import { otherColour } from "../../platform";
import { MetricsSource, RecordEntry, StackState } from "./types";

export interface PreflightOptions {
    stack: string;
    state: StackState;
    settings: PromotionSettings;
    planner: PositionPlanner;
    metrics: MetricsSource;
    /** When the queries are evaluated (now, or a rehearsal's start). */
    at: Date;
    facts: Record<string, ServiceFacts>;
    log: (line: string) => void;
    record: (entry: RecordEntry) => void;
}

export interface PreflightResult {
    /** The positions planned, in order, with each transition's target count. */
    positions: { label: string; positions: string; targets: number }[];
    /** Whether Prometheus answered (the walk moves nothing until it does). */
    prometheusAnswers: boolean;
}

export async function preflight(o: PreflightOptions): Promise<PreflightResult> {
    const { settings, state } = o;
    const unreachable = unreachableProblem(state.services, settings, o.stack);
    if (unreachable) throw new UsageError(unreachable);

    // A service no trigger judges could never be rolled back.
    for (const s of state.services) {
        if (!Object.values(settings.triggers).some(t => t.protocols.includes(s.protocol))) {
            throw new UsageError(
                `${s.service} (protocol ${s.protocol}): no trigger of promotion.triggers judges protocol ${s.protocol}; add one (its protocols list) before promoting it`,
            );
        }
    }

    // Every position, planned offline with the whole pack.
    const planned = plannedPositions(state.services, settings);
    const positions: PreflightResult["positions"] = [];
    let previous = positionsOf(state.services);
    for (const { label, services } of planned) {
        const at = positionsOf(services);
        const problem = await o.planner.problem(at);
        if (problem) {
            throw new UsageError(
                `pre-flight: the offline plan of ${label} (${describePositions(at)}) fails, so the run would too; nothing changed: ${problem}`,
            );
        }
        const targets = label === "now" ? 0 : (await o.planner.targets([previous], at)).length;
        positions.push({ label, positions: describePositions(at), targets });
        previous = at;
    }
    // A withdrawal or rollback may leave from any step: its targets from the furthest one are the most it touches.
    o.log(
        `Pre-flight: ${planned.length} positions planned offline with the pack: ${positions.map(p => `${p.label}${p.targets ? ` (${p.targets} targets)` : ""}`).join(", ")}`,
    );

    // Every query, rendered for each service and evaluated once.
    const window = settings.steps[0].watch;
    const refused: string[] = [];
    let unreachableError: string | undefined;
    for (const s of state.services) {
        const candidate = otherColour(s.activeColour);
        const vars = (colour: string) => ({
            namespace: state.namespace,
            service: s.service,
            colour,
            window,
            excludedPaths: (o.facts[s.service] ?? defaultFacts).excludedPaths,
        });
        const queries: Record<string, string> = {};
        const add = (name: string, template: string, colour: string) => {
            try {
                queries[name] = renderQuery(template, vars(colour));
            } catch (e) {
                throw new UsageError(`${s.service} ${name}: ${(e as Error).message}; nothing changed`);
            }
        };
        const applies = <T extends { protocols: string[] }>(checks: Record<string, T>) =>
            Object.entries(checks).filter(([, c]) => c.protocols.includes(s.protocol));
        for (const [name, c] of applies(settings.triggers)) add(`trigger:${name}`, c.query, candidate);
        if (s.protocol === "http") add("traffic:share", settings.traffic.query, candidate);
        for (const [name, c] of applies(settings.gates)) add(`gate:${name}`, c.query, candidate);
        for (const [name, c] of applies(settings.comparisons)) {
            add(`comparison:${name}`, c.query, candidate);
            add(`active:${name}`, c.query, s.activeColour);
        }
        for (const [name, promql] of Object.entries(queries)) {
            const reading = await o.metrics.query(promql, o.at);
            if (reading.failure === "refused" || reading.failure === "shape") refused.push(`${s.service} ${name}: ${reading.error}`);
            else if (reading.failure === "unreachable") unreachableError ??= reading.error;
        }
        o.record({
            at: o.at.toISOString(),
            service: s.service,
            weight: s.weight,
            event: "preflight",
            values: {},
            reason: `${planned.length} positions planned offline with the pack; ${Object.keys(queries).length} queries evaluated`,
            queries,
        });
    }
    if (refused.length) {
        throw new UsageError(
            `pre-flight: Prometheus refuses ${refused.length === 1 ? "a query" : `${refused.length} queries`}; nothing changed: ${refused.join("; ")}`,
        );
    }
    if (unreachableError) {
        o.log(`Pre-flight: the queries could not be checked: ${unreachableError} (nothing moves until Prometheus answers)`);
    }
    return { positions, prometheusAnswers: !unreachableError };
}
