// The promotion's decisions: which step comes next, what a watch concludes from its readings, when to
// roll back, hold or advance. It knows the world only through the adapters in types.ts, so the live run
// (pulumi up, wall clock) and a rehearsal (offline plans, simulated clock) take the same decisions.
import { otherColour, weightAtStep } from "../../platform";
import { PromotionCheck, PromotionSettings } from "../../stacks/config/promotion";
import { UsageError } from "../cli/errors";
import { renderQuery } from "./prometheus";
import { Clock, MetricsSource, Notifier, PromotionEventKind, PositionUpdate, RecordEntry, ServicePosition, StackDriver, StackState } from "./types";
import { WindowCheck } from "./window";

export type Outcome = "promoted" | "rolledBack" | "held";
/** Exit codes of `npm run promote` (2 is bad input, raised as UsageError). */
export const OUTCOME_EXIT: Record<Outcome, number> = { promoted: 0, rolledBack: 1, held: 3 };

export interface WalkResult {
    outcome: Outcome;
    reason: string;
}

export interface WalkOptions {
    settings: PromotionSettings;
    /** The services this run moves together; empty: every blue-green service of the stack. */
    services: string[];
    driver: StackDriver;
    metrics: MetricsSource;
    clock: Clock;
    notifier: Notifier;
    window: WindowCheck;
    /** Every decision, as `--record` writes it. */
    record: (entry: RecordEntry) => void;
    /** Human progress: one line per watch tick and per decision. */
    log: (line: string) => void;
}

/** Where a run stands: the index in `promotion.steps` of the step the services are at (-1: staged, no traffic), or done. */
export interface Position {
    stepIndex: number;
    finalized: boolean;
}

/**
 * The step index the services stand at, or why they cannot be moved together: every service must be
 * at a weight the configured steps reach, and at the same step (a release is one unit).
 */
export function positionOf(services: ServicePosition[], settings: PromotionSettings): Position {
    const weights = settings.steps.map(s => s.weight);
    const last = weights.length - 1;
    if (services.length === 0) throw new UsageError("no blue-green service to promote");
    const finalized = services.filter(s => s.finalize);
    if (finalized.length > 0 && finalized.length < services.length) {
        throw new UsageError(
            `${finalized.map(s => s.service).join(", ")} ${finalized.length === 1 ? "is" : "are"} finalized and ${services
                .filter(s => !s.finalize)
                .map(s => s.service)
                .join(", ")} not: services promoted together must stand at the same step (promote them separately with --services)`,
        );
    }
    if (finalized.length === services.length) return { stepIndex: last, finalized: true };
    // Each service admits a range of step indexes: an HTTP service exactly one, a FIX service at 0 any before the cutover.
    let low = -1;
    let high = last;
    for (const s of services) {
        let range: [number, number];
        if (s.weight === 0) range = s.protocol === "fix" ? [-1, last - 1] : [-1, -1];
        else if (s.protocol === "fix" && s.weight === 100) range = [last, last];
        else {
            const stepIndex = weights.indexOf(s.weight);
            if (stepIndex < 0 || s.protocol === "fix") {
                throw new UsageError(`${s.service} is at weight ${s.weight} %, which the promotion's steps (${weights.join(", ")} %) never reach; bring it to 0 or one of them first`);
            }
            range = [stepIndex, stepIndex];
        }
        low = Math.max(low, range[0]);
        high = Math.min(high, range[1]);
    }
    if (low > high) {
        throw new UsageError(
            `services promoted together must stand at the same step; found ${services.map(s => `${s.service} at ${s.weight} %`).join(", ")} (promote them separately with --services)`,
        );
    }
    return { stepIndex: low, finalized: false };
}

/** The updates that put every service at the step of index `stepIndex` (-1: no traffic). */
export function updatesAt(state: StackState, settings: PromotionSettings, stepIndex: number, finalize = false): PositionUpdate[] {
    const weight = stepIndex < 0 ? 0 : settings.steps[stepIndex].weight;
    return state.services.map(s => ({ service: s.service, weight: weightAtStep(s.protocol, weight), finalize }));
}

/** A rollback: after finalize the old colour's size comes back first, then every candidate weight goes to 0. */
export function rollbackUpdates(state: StackState): PositionUpdate[][] {
    const batches: PositionUpdate[][] = [];
    if (state.services.some(s => s.finalize)) batches.push(state.services.map(s => ({ service: s.service, weight: s.weight, finalize: false })));
    batches.push(state.services.map(s => ({ service: s.service, weight: 0, finalize: false })));
    return batches;
}

export interface Reading {
    name: string;
    value: number | null;
    limit: number;
    error?: string;
}

/** Triggers above their limits; readings with no data are never a breach (and never health). */
export const breaches = (readings: Reading[]) => readings.filter(r => r.value !== null && r.value > r.limit);
export const missing = (readings: Reading[]) => readings.filter(r => r.value === null);
/** Gates not below their limits. */
export const gateFailures = (readings: Reading[]) => readings.filter(r => r.value !== null && !(r.value < r.limit));

const show = (r: Reading) => `${r.name} ${r.value === null ? `no data (${r.error ?? "no value"})` : round(r.value)}`;
const round = (value: number) => Number(value.toPrecision(4));
const valuesOf = (readings: Reading[]): Record<string, number | null> => Object.fromEntries(readings.map(r => [r.name, r.value === null ? null : round(r.value)]));

/** Walks the services from where they stand to 100 % and finalize, or rolls them back, or holds. */
export async function walk(options: WalkOptions): Promise<WalkResult> {
    const { settings, driver, metrics, clock, notifier } = options;
    let state = await driver.read(options.services);
    const start = positionOf(state.services, settings);
    const names = state.services.map(s => s.service);
    const weightOf = (service: string) => state.services.find(s => s.service === service)?.weight ?? 0;
    /** The highest candidate weight of the run (a FIX service may still be at 0 while the others take traffic). */
    const topWeight = () => Math.max(...state.services.map(s => s.weight));

    const record = (service: string, event: PromotionEventKind, reason: string, values: Record<string, number | null> = {}) =>
        options.record({ at: clock.now().toISOString(), service, weight: weightOf(service), event, values, reason });
    const recordAll = (event: PromotionEventKind, reason: string) => names.forEach(name => record(name, event, reason));
    const annotate = (event: PromotionEventKind, text: string) =>
        notifier.annotate({ at: clock.now(), services: names, weight: topWeight(), event, text });

    const applyAll = async (updates: PositionUpdate[], purpose: "advance" | "finalize" | "rollback", message: string) => {
        const result = await driver.apply(updates, purpose, message);
        if (result.ok) {
            state = {
                ...state,
                services: state.services.map(s => {
                    const u = updates.find(x => x.service === s.service);
                    return u ? { ...s, weight: u.weight, finalize: u.finalize } : s;
                }),
            };
        }
        return result;
    };

    const hold = async (reason: string): Promise<WalkResult> => {
        recordAll("hold", reason);
        options.log(`HOLD ${names.join(", ")}: ${reason}`);
        await annotate("hold", `promotion held: ${reason}`);
        return { outcome: "held", reason };
    };

    const rollback = async (reason: string): Promise<WalkResult> => {
        options.log(`ROLLBACK ${names.join(", ")}: ${reason}`);
        for (const batch of rollbackUpdates(state)) {
            const restoring = batch.some(u => u.weight > 0);
            const result = await applyAll(batch, "rollback", restoring ? `rollback: restore the old colour's size (${reason})` : `rollback to 0 % (${reason})`);
            if (!result.ok) {
                const failed = `rollback update failed: ${result.summary} (after: ${reason}); roll back by hand: npm run promote -- --rollback`;
                recordAll("rollback", failed);
                options.log(`ROLLBACK FAILED: ${result.summary}`);
                await notifier.page({ at: clock.now(), services: names, weight: topWeight(), reason: failed });
                return { outcome: "rolledBack", reason: failed };
            }
        }
        recordAll("rollback", reason);
        await notifier.page({ at: clock.now(), services: names, weight: 0, reason });
        await annotate("rollback", `rolled back to 0 %: ${reason}`);
        return { outcome: "rolledBack", reason };
    };

    const readAll = async (checks: Record<string, PromotionCheck>, prefix: string, service: ServicePosition, colour: string, window: string, at: Date) =>
        Promise.all(
            Object.entries(checks).map(async ([name, check]): Promise<Reading> => {
                const promql = renderQuery(check.query, { namespace: state.namespace, service: service.service, colour, window });
                const reading = await metrics.query(promql, at);
                return { name: `${prefix}:${name}`, value: reading.value, limit: check.limit, error: reading.error };
            }),
        );

    if (start.finalized) {
        recordAll("promoted", "already at 100 % and finalized: nothing to do");
        options.log(`${names.join(", ")} already at 100 % and finalized: nothing to do`);
        return { outcome: "promoted", reason: "already promoted" };
    }

    let stepIndex = start.stepIndex;
    // A run that resumes mid-step (its runner died) watches that step again from the start.
    let resumed = stepIndex >= 0;
    for (;;) {
        if (!resumed) {
            stepIndex += 1;
            const closed = options.window(clock.now());
            if (closed) return hold(`the deployment window is closed (${closed}); the next step (${settings.steps[stepIndex].weight} %) waits for it`);
            const weight = settings.steps[stepIndex].weight;
            // A step that cannot be watched must not start: Prometheus has to answer first.
            const probe = await metrics.query("vector(1)", clock.now());
            if (probe.value !== 1) return hold(`Prometheus does not answer (${probe.error ?? `vector(1) gave ${probe.value}`}); the next step (${weight} %) waits for it`);
            const result = await applyAll(updatesAt(state, settings, stepIndex), "advance", `promote ${names.join(", ")} to ${weight} %`);
            if (!result.ok) return rollback(`the update to ${weight} % failed: ${result.summary}`);
            names.forEach(name => record(name, "step", `candidate at ${weightOf(name)} % (${result.summary})`));
            options.log(`STEP ${names.map(n => `${n} ${weightOf(n)} %`).join(", ")}: ${result.summary}`);
            await annotate("step", `${names.join(", ")} at ${weight} %`);
        } else {
            options.log(`RESUME ${names.map(n => `${n} ${weightOf(n)} %`).join(", ")}: watching step ${settings.steps[stepIndex].weight} % again from the start`);
        }
        const step = settings.steps[stepIndex];
        const outcome = await watch(stepIndex, resumed);
        resumed = false;
        if (outcome) return outcome;
        if (step.weight === 100) break;
    }

    // Cutover held for its whole watch: scale the old colour down, kept at one replica for instant rollback.
    recordAll("promoted", `every service at 100 % for ${settings.steps[stepIndex].watch} with healthy metrics`);
    const closed = options.window(clock.now());
    if (closed) return hold(`promoted to 100 %, but the deployment window closed (${closed}); finalize waits for it (run promote again)`);
    const result = await applyAll(updatesAt(state, settings, stepIndex, true), "finalize", `finalize ${names.join(", ")}: old colour to one replica`);
    if (!result.ok) return hold(`promoted to 100 %, but finalize failed: ${result.summary}`);
    recordAll("finalized", `old colour scaled to one replica (${result.summary})`);
    options.log(`FINALIZED ${names.join(", ")}: ${result.summary}`);
    await annotate("finalized", `${names.join(", ")} finalized`);
    return { outcome: "promoted", reason: "every service at 100 % and finalized" };

    /** Watches the step of index `stepIndex`; undefined when it passed, else the run's end. */
    async function watch(stepIndex: number, resumed: boolean): Promise<WalkResult | undefined> {
        const step = settings.steps[stepIndex];
        const stepStart = clock.now();
        const watched = state.services.filter(s => s.weight > 0);
        const silenceId = await notifier.silence({
            namespace: state.namespace,
            services: names,
            from: stepStart,
            until: new Date(stepStart.getTime() + step.watchMs + settings.intervalMs),
            comment: `npm run promote: ${names.join(", ")} at ${step.weight} %`,
        });
        const end = async (result: WalkResult | undefined) => {
            if (silenceId) await notifier.expireSilence(silenceId);
            return result;
        };

        // Time with complete data counts toward the watch; a stretch without data as long as the watch ends the run held.
        let healthyMs = 0;
        let noDataSince: Date | undefined;
        let tick = resumed ? 0 : 1;
        for (;;) {
            const at = new Date(stepStart.getTime() + tick * settings.intervalMs);
            await clock.sleepUntil(at);
            const perService = await Promise.all(
                watched.map(async s => ({ service: s, readings: await readAll(settings.triggers, "trigger", s, otherColour(s.activeColour), step.watch, at) })),
            );
            const breached = perService.flatMap(p => breaches(p.readings).map(r => `${p.service.service} ${r.name} ${round(r.value as number)} > ${r.limit}`));
            for (const p of perService) record(p.service.service, "check", breached.length ? "trigger breached" : `${Math.round(healthyMs / 1000)}s of ${step.watch} watched`, valuesOf(p.readings));
            if (breached.length) return end(await rollback(`at ${step.weight} %: ${breached.join("; ")}`));

            const absent = perService.flatMap(p => missing(p.readings).map(r => `${p.service.service} ${show(r)}`));
            const elapsed = `${Math.round((at.getTime() - stepStart.getTime()) / 1000)}s`;
            options.log(
                `  ${step.weight} % ${elapsed}/${step.watch}: ` +
                    (perService.map(p => `${p.service.service} ${p.readings.map(show).join(", ")}`).join(" | ") || "no service takes traffic yet"),
            );
            if (absent.length) {
                noDataSince ??= at;
                if (at.getTime() - noDataSince.getTime() >= step.watchMs) {
                    return end(await hold(`no data at ${step.weight} % since ${noDataSince.toISOString()}: ${absent.join("; ")} (no data is not health)`));
                }
            } else {
                noDataSince = undefined;
                if (tick > 0) healthyMs += settings.intervalMs;
            }
            const closed = options.window(at);
            if (closed) return end(await hold(`the deployment window closed mid-watch (${closed}); holding at ${step.weight} %`));
            if (healthyMs >= step.watchMs) break;
            tick += 1;
        }

        // The whole watch is in: gates over it, and the candidate against the active colour while both take traffic.
        const at = clock.now();
        const failures: string[] = [];
        const noData: string[] = [];
        for (const s of watched) {
            const candidate = otherColour(s.activeColour);
            const gates = await readAll(settings.gates, "gate", s, candidate, step.watch, at);
            const values = valuesOf(gates);
            failures.push(...gateFailures(gates).map(r => `${s.service} ${r.name} ${round(r.value as number)} not below ${r.limit}`));
            noData.push(...missing(gates).map(r => `${s.service} ${show(r)}`));
            if (s.weight < 100) {
                const mine = await readAll(settings.comparisons, "comparison", s, candidate, step.watch, at);
                const theirs = await readAll(settings.comparisons, "active", s, s.activeColour, step.watch, at);
                mine.forEach((r, i) => {
                    const base = theirs[i];
                    values[r.name] = r.value === null ? null : round(r.value);
                    values[base.name] = base.value === null ? null : round(base.value);
                    if (r.value === null || base.value === null) noData.push(`${s.service} ${show(r.value === null ? r : base)}`);
                    else if (r.value - base.value > r.limit) {
                        failures.push(`${s.service} ${r.name} ${round(r.value)} exceeds the active colour's ${round(base.value)} by more than ${r.limit}`);
                    }
                });
            }
            record(s.service, "check", failures.length || noData.length ? "gates not met" : `gates held over ${step.watch}`, values);
        }
        if (noData.length) return end(await hold(`no data for the gates at ${step.weight} %: ${noData.join("; ")} (no data is not health)`));
        if (failures.length) {
            return end(await hold(`gates not met over the ${step.watch} watch at ${step.weight} %: ${failures.join("; ")}; no trigger fired, so traffic stays (re-run to watch again, or --rollback)`));
        }
        options.log(`PASSED ${step.weight} % after ${step.watch}: gates held`);
        return end(undefined);
    }
}

/** `--rollback`: every named service back to 0 % at once (restoring the old colour's size first after finalize). */
export async function rollBackByHand(options: Pick<WalkOptions, "services" | "driver" | "clock" | "notifier" | "record" | "log">, reason: string): Promise<WalkResult> {
    const state = await options.driver.read(options.services);
    const names = state.services.map(s => s.service);
    for (const batch of rollbackUpdates(state)) {
        const result = await options.driver.apply(batch, "rollback", `rollback by hand: ${reason}`);
        if (!result.ok) throw new Error(`rollback update failed: ${result.summary}`);
    }
    for (const name of names) {
        options.record({ at: options.clock.now().toISOString(), service: name, weight: 0, event: "rollback", values: {}, reason });
    }
    options.log(`ROLLBACK ${names.join(", ")}: ${reason}`);
    await options.notifier.annotate({ at: options.clock.now(), services: names, weight: 0, event: "rollback", text: `rolled back by hand: ${reason}` });
    return { outcome: "rolledBack", reason };
}
