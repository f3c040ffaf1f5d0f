// The promotion's pure decisions, apart from the code that applies them (machine.ts), as Argo Rollouts'
// analysis controller separates measuring from judging: where a run stands and what it does next,
// what one watch tick concludes from its readings, whether the traffic moved, whether the gates held.
// No clock, no driver, no Prometheus: every function here takes values and returns a verdict.
import { weightAtStep } from "../../platform";
import { PromotionSettings } from "../../stacks/config/promotion";
import { UsageError } from "../cli/errors";
import { PositionUpdate, Sample, ServicePosition } from "./types";

// ---------------------------------------------------------------------------------------------------
// Where the run stands, and the next move

/**
 * A service's step index in `promotion.steps`: -1 staged (no traffic), `i` at the weight of step `i`.
 * A FIX service at 0 `follows`: it stands at any step before the cutover, so it holds no one back.
 */
export type StepIndex = number | "follows";

/** One line refusing a position no step sequence reaches, saying exactly what to run; undefined when every service is reachable. */
export function unreachableProblem(services: ServicePosition[], settings: PromotionSettings, stack = "production"): string | undefined {
    const weights = settings.steps.map(s => s.weight);
    const stranded = services.filter(
        s =>
            !s.finalize &&
            s.weight !== 0 &&
            !(s.protocol === "fix" && s.weight === 100) &&
            (s.protocol === "fix" || !weights.includes(s.weight)),
    );
    if (!stranded.length) return undefined;
    const names = stranded.map(s => s.service).join(",");
    return (
        `${stranded.map(s => `${s.service} is at weight ${s.weight} %`).join(", ")}, which promotion.steps (${weights.join(", ")} %) never reach${stranded.length === 1 ? "es" : ""}: ` +
        `take ${stranded.length === 1 ? "it" : "them"} back to 0 first with npm run promote -- --stack ${stack} --rollback --services ${names} --reason "off the promotion's steps", then promote again`
    );
}

export function stepIndexOf(s: ServicePosition, settings: PromotionSettings): StepIndex {
    const last = settings.steps.length - 1;
    if (s.finalize) return last;
    if (s.protocol === "fix") {
        if (s.weight === 0) return "follows";
        if (s.weight === 100) return last;
    } else {
        if (s.weight === 0) return -1;
        const index = settings.steps.findIndex(step => step.weight === s.weight);
        if (index >= 0) return index;
    }
    throw new UsageError(unreachableProblem([s], settings) as string);
}

/** The step the run stands at: its furthest-behind service (-1: something is staged without traffic; a FIX service at 0 is before the last). */
export function runStepIndex(services: ServicePosition[], settings: PromotionSettings): number {
    const indexes = services.map(s => stepIndexOf(s, settings));
    const placed = indexes.filter((i): i is number => i !== "follows");
    const lowest = placed.length ? Math.min(...placed) : -1;
    return placed.length < indexes.length ? Math.min(lowest, settings.steps.length - 2) : lowest;
}

export type Move =
    { kind: "step"; stepIndex: number; updates: PositionUpdate[] } | { kind: "finalize"; updates: PositionUpdate[] } | { kind: "done" };

/**
 * The next move of a release: the services behind move one step (never skipping one), the services
 * ahead hold their weight; once all stand at the last step (100 %), every one not yet finalized is.
 */
export function nextMove(services: ServicePosition[], settings: PromotionSettings): Move {
    const last = settings.steps.length - 1;
    if (services.every(s => s.finalize)) return { kind: "done" };
    const at = runStepIndex(services, settings);
    // A step that would change no weight (only FIX services, which cut over whole) is no step to watch.
    for (let next = at + 1; next <= last; next++) {
        const weight = settings.steps[next].weight;
        const updates = services
            .filter(s => {
                const index = stepIndexOf(s, settings);
                return index === "follows" || index <= at;
            })
            .map(s => ({ service: s.service, weight: weightAtStep(s.protocol, weight), finalize: false }))
            .filter(u => u.weight !== services.find(s => s.service === u.service)?.weight);
        if (updates.length) return { kind: "step", stepIndex: next, updates };
    }
    return {
        kind: "finalize",
        updates: services.filter(s => !s.finalize).map(s => ({ service: s.service, weight: s.weight, finalize: true })),
    };
}

/** True when every service stands at the same step, with traffic: a resumed run watches that step again before moving. */
export function standsTogether(services: ServicePosition[], settings: PromotionSettings): boolean {
    const indexes = services.map(s => stepIndexOf(s, settings));
    const placed = indexes.filter((i): i is number => i !== "follows");
    if (!placed.length || placed[0] < 0 || !placed.every(i => i === placed[0]) || services.every(s => s.finalize)) return false;
    // A FIX service still at 0 while the others stand at the last step has its cutover to make.
    return placed.length === indexes.length || placed[0] < settings.steps.length - 1;
}

/** The positions after `updates`. */
export function applyUpdates(services: ServicePosition[], updates: PositionUpdate[]): ServicePosition[] {
    return services.map(s => {
        const u = updates.find(x => x.service === s.service);
        return u ? { ...s, weight: u.weight, finalize: u.finalize } : s;
    });
}

/** Every candidate back to 0 %: after finalize the old colour's size comes back first (its own update), then the traffic. */
export function rollbackUpdates(services: ServicePosition[]): PositionUpdate[][] {
    const batches: PositionUpdate[][] = [];
    const finalized = services.filter(s => s.finalize);
    if (finalized.length) batches.push(finalized.map(s => ({ service: s.service, weight: s.weight, finalize: false })));
    const moving = services.filter(s => s.weight !== 0 || s.finalize);
    if (moving.length) batches.push(moving.map(s => ({ service: s.service, weight: 0, finalize: false })));
    return batches;
}

/** Every position a run from `services` may take, in order: each move, then the withdrawal (which is also the rollback). */
export function plannedPositions(
    services: ServicePosition[],
    settings: PromotionSettings,
): { label: string; services: ServicePosition[] }[] {
    const planned = [{ label: "now", services }];
    let current = services;
    for (let guard = 0; guard <= settings.steps.length + 1; guard++) {
        const move = nextMove(current, settings);
        if (move.kind === "done") break;
        current = applyUpdates(current, move.updates);
        planned.push({ label: move.kind === "step" ? `step ${settings.steps[move.stepIndex].weight} %` : "finalize", services: current });
    }
    // A withdrawal or rollback from any of them: the old colour's size restored (the last step's position), then 0.
    for (const batch of rollbackUpdates(current)) {
        current = applyUpdates(current, batch);
        planned.push({
            label: batch.some(u => u.weight > 0)
                ? "rollback: old colour's size restored"
                : "withdrawal and rollback: every candidate at 0 %",
            services: current,
        });
    }
    return planned;
}

// ---------------------------------------------------------------------------------------------------
// Readings

/** One check's answer for one service and colour. */
export interface CheckReading {
    /** `trigger:errorRate`, `gate:latencyP95Seconds`, `comparison:…` (candidate), `active:…`, `traffic:share`. */
    name: string;
    limit: number;
    samples: Sample[];
    /** Why there is no sample, when there is none (Prometheus' error, unreachable). */
    error?: string;
}

/** The values that count: NaN (0/0, no traffic) is no data; +Inf is a value. */
export const valuesOf = (r: CheckReading): number[] => r.samples.map(s => s.value).filter(v => !Number.isNaN(v));
const round = (value: number) => (Number.isFinite(value) ? Number(value.toPrecision(4)) : value);
const labelsText = (labels: Record<string, string>) => {
    const entries = Object.entries(labels);
    return entries.length ? `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}}` : "";
};
const noData = (r: CheckReading) =>
    `${r.name} no data (${r.error ?? (r.samples.length ? "NaN: no traffic in the range?" : "the query returned no series")})`;

/** For the record: the worst series' value, or null for no data. */
export function recordedValue(r: CheckReading): number | null {
    const values = valuesOf(r);
    return values.length ? round(Math.max(...values)) : null;
}

// ---------------------------------------------------------------------------------------------------
// One watch tick

export interface TrafficCheck {
    service: string;
    /** The candidate's weight the share must match, in percent. */
    expected: number;
    reading: CheckReading;
}

export interface TrafficVerdict {
    verified: boolean;
    reason: string;
}

/** Whether the candidate's observed share of client requests (percent) matches its weight within `tolerance` points. */
export function judgeTraffic(check: TrafficCheck, tolerance: number): TrafficVerdict {
    const values = valuesOf(check.reading);
    if (values.length === 0) return { verified: false, reason: `${check.service} traffic not verified: ${noData(check.reading)}` };
    if (values.length > 1) {
        return {
            verified: false,
            reason: `${check.service} traffic not verified: ${values.length} series (the traffic query must aggregate to one share)`,
        };
    }
    const share = values[0];
    const verified = Number.isFinite(share) && Math.abs(share - check.expected) <= tolerance;
    return {
        verified,
        reason: `${check.service} takes ${round(share)} % of client requests ${verified ? "at" : "against"} a weight of ${check.expected} % (tolerance ${tolerance} points)`,
    };
}

export type TickVerdict =
    /** A trigger fired: roll back now, whatever else the tick saw. */
    | { kind: "breach"; reasons: string[] }
    /** The tick proves nothing: a trigger without data, or traffic not (yet) where its weight says. */
    | { kind: "noEvidence"; reasons: string[]; verified: string[] }
    | { kind: "evidence"; verified: string[] };

/**
 * What one tick concludes. A trigger fires when ANY series of its query is above its limit (+Inf is);
 * NaN and an empty result are no data. Traffic checks are those still unverified this step.
 */
export function judgeTick(
    triggers: { service: string; readings: CheckReading[] }[],
    traffic: TrafficCheck[],
    tolerance: number,
): TickVerdict {
    const breaches = triggers.flatMap(t =>
        t.readings.flatMap(r =>
            r.samples
                .filter(s => s.value > r.limit)
                .map(
                    s =>
                        `${t.service} ${r.name} ${round(s.value)} > ${r.limit}${labelsText(s.labels) ? ` on ${labelsText(s.labels)}` : ""}`,
                ),
        ),
    );
    if (breaches.length) return { kind: "breach", reasons: breaches };
    const missing = triggers.flatMap(t => t.readings.filter(r => valuesOf(r).length === 0).map(r => `${t.service} ${noData(r)}`));
    const verdicts = traffic.map(check => ({ service: check.service, ...judgeTraffic(check, tolerance) }));
    const verified = verdicts.filter(v => v.verified).map(v => v.service);
    const unverified = verdicts.filter(v => !v.verified).map(v => v.reason);
    if (missing.length || unverified.length) return { kind: "noEvidence", reasons: [...missing, ...unverified], verified };
    return { kind: "evidence", verified };
}

export type TickDecision =
    | { action: "rollback"; reason: string }
    /** The run cannot advance: withdraw (or keep, for a person), with the reason. */
    | { action: "cannotAdvance"; reason: string }
    | { action: "continue"; noEvidenceInARow: number; watchedMs: number }
    /** The step's whole watch is in: judge its gates. */
    | { action: "watched" };

/**
 * What the walk does after a tick. A trigger rolls back at once, also after the window has closed; the
 * window closing stops the watch; ticks without evidence count up to `consecutiveErrorLimit` (Argo's
 * consecutiveErrorLimit: exceeding it ends the watch); a tick with evidence counts toward the watch
 * when `counts` (the traffic was verified before it).
 */
export function decideTick(
    verdict: TickVerdict,
    state: { noEvidenceInARow: number; watchedMs: number },
    context: { limit: number; intervalMs: number; watchMs: number; counts: boolean; windowClosed?: string; weightText: string },
): TickDecision {
    if (verdict.kind === "breach") return { action: "rollback", reason: `at ${context.weightText}: ${verdict.reasons.join("; ")}` };
    if (context.windowClosed) {
        return {
            action: "cannotAdvance",
            reason: `the deployment window closed mid-watch (${context.windowClosed}) at ${context.weightText}`,
        };
    }
    if (verdict.kind === "noEvidence") {
        const inARow = state.noEvidenceInARow + 1;
        if (inARow > context.limit) {
            return {
                action: "cannotAdvance",
                reason: `no evidence for ${inARow} ticks in a row at ${context.weightText} (limit ${context.limit}): ${verdict.reasons.join("; ")} (no data is not health)`,
            };
        }
        return { action: "continue", noEvidenceInARow: inARow, watchedMs: state.watchedMs };
    }
    const watchedMs = state.watchedMs + (context.counts ? context.intervalMs : 0);
    if (watchedMs >= context.watchMs) return { action: "watched" };
    return { action: "continue", noEvidenceInARow: 0, watchedMs };
}

// ---------------------------------------------------------------------------------------------------
// The gates over a whole watch

export interface GateReadings {
    service: string;
    gates: CheckReading[];
    /** Each comparison: the candidate's reading and the active colour's. */
    comparisons: { candidate: CheckReading; active: CheckReading }[];
}

export type GateVerdict = { kind: "pass" } | { kind: "fail"; reasons: string[] } | { kind: "noData"; reasons: string[] };

/**
 * Whether a step may advance: every series of every gate below its limit, and the candidate's worst
 * series no worse than the active colour's by more than the margin. No data is never a pass.
 */
export function judgeGates(readings: GateReadings[]): GateVerdict {
    const failures: string[] = [];
    const missing: string[] = [];
    for (const { service, gates, comparisons } of readings) {
        for (const gate of gates) {
            const values = valuesOf(gate);
            if (!values.length) missing.push(`${service} ${noData(gate)}`);
            else if (values.some(v => !(v < gate.limit))) {
                failures.push(`${service} ${gate.name} ${round(Math.max(...values))} not below ${gate.limit}`);
            }
        }
        for (const { candidate, active } of comparisons) {
            const mine = valuesOf(candidate);
            const theirs = valuesOf(active);
            if (!mine.length || !theirs.length) {
                missing.push(`${service} ${noData(!mine.length ? candidate : active)}`);
                continue;
            }
            const worst = Math.max(...mine);
            const base = Math.max(...theirs);
            const worse = worst === Infinity ? base !== Infinity : worst - base > candidate.limit;
            if (worse) {
                failures.push(
                    `${service} ${candidate.name} ${round(worst)} exceeds the active colour's ${round(base)} by more than ${candidate.limit}`,
                );
            }
        }
    }
    if (missing.length) return { kind: "noData", reasons: missing };
    if (failures.length) return { kind: "fail", reasons: failures };
    return { kind: "pass" };
}
