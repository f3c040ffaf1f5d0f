// The promotion's walk: it measures (queries Prometheus at each tick), asks the pure judges of judge.ts
// what the readings mean and what comes next, and applies their verdicts through the adapters of
// types.ts (the stack driver, the clock, the notifications), recording every decision. The live run
// (targeted `pulumi up`, wall clock) and a rehearsal (offline plans, simulated clock) take the same path.
import { nonClientPaths, pathsRegex } from "../../components/blueGreenService/metrics";
import { otherColour } from "../../platform";
import { PromotionCheck, PromotionSettings } from "../../stacks/config/promotion";
import { UsageError } from "../cli/errors";
import {
    applyUpdates,
    CheckReading,
    decideTick,
    GateReadings,
    judgeGates,
    judgeTick,
    nextMove,
    recordedValue,
    rollbackUpdates,
    runStepIndex,
    standsTogether,
    TrafficCheck,
    unreachableProblem,
} from "./judge";
import { renderQuery } from "./prometheus";
import {
    Clock,
    MetricsSource,
    Notifier,
    PositionUpdate,
    PromotionEventKind,
    RecordEntry,
    ServicePosition,
    StackDriver,
    StackState,
    UpdatePurpose,
    UpdateResult,
} from "./types";
import { WindowCheck, WINDOW_POLICY } from "./window";

/** How a run ended. `withdrawn`: it could not advance and took every candidate to 0 %; `held`: it could not, and left them (onHold: keep, or nothing carried traffic). */
export type Outcome = "promoted" | "rolledBack" | "withdrawn" | "held" | "failed";
/** Exit codes of `npm run promote` (2 is bad input, raised as UsageError before anything changes). */
export const OUTCOME_EXIT: Record<Outcome, number> = { promoted: 0, rolledBack: 1, withdrawn: 3, held: 3, failed: 4 };

export interface WalkResult {
    outcome: Outcome;
    reason: string;
    /** Set when candidates were left carrying traffic nobody watches: the summary's first line. */
    unwatched?: string;
}

/** What the queries need to know of a service beyond its position. */
export interface ServiceFacts {
    /** `{{excludedPaths}}`: the request paths no client makes (its probe paths and the metrics path). */
    excludedPaths: string;
}

/** The facts of a service with the config's default probe paths. */
export const defaultFacts: ServiceFacts = {
    excludedPaths: pathsRegex(nonClientPaths({ readinessPath: "/readyz", livenessPath: "/healthz" })),
};

export interface WalkOptions {
    settings: PromotionSettings;
    /** The run's services, where the stack says they stand (the caller read and narrowed them). */
    state: StackState;
    facts?: Record<string, ServiceFacts>;
    driver: StackDriver;
    metrics: MetricsSource;
    clock: Clock;
    notifier: Notifier;
    window: WindowCheck;
    /** Every decision, as `--record` writes it. */
    record: (entry: RecordEntry) => void;
    /** Human progress: one line per watch tick and per decision. */
    log: (line: string) => void;
    /** The stack's name, for the commands a message tells a person to run. */
    stack?: string;
    /**
     * `require` (live): a watch counts only once the candidate's observed share matches its weight.
     * `report` (a rehearsal): past metrics follow the weights of the past, not the rehearsal's, so the
     * share is recorded and never required.
     */
    trafficCheck?: "require" | "report";
}

/** Walks the services from where they stand to 100 % and finalize, or rolls them back, or withdraws them. */
export async function walk(options: WalkOptions): Promise<WalkResult> {
    const { settings, driver, metrics, clock, notifier } = options;
    const stack = options.stack ?? "production";
    const namespace = options.state.namespace;
    let services = options.state.services;
    const names = services.map(s => s.service);
    if (!services.length) throw new UsageError("no blue-green service to promote");
    const unreachable = unreachableProblem(services, settings, stack);
    if (unreachable) throw new UsageError(unreachable);

    const weightOf = (service: string) => services.find(s => s.service === service)?.weight ?? 0;
    /** The highest candidate weight of the run (a FIX service may still be at 0 while the others take traffic). */
    const topWeight = () => Math.max(0, ...services.map(s => s.weight));
    const weightsText = () => services.map(s => `${s.service} ${s.weight} %${s.finalize ? " finalized" : ""}`).join(", ");
    const factsOf = (service: string) => options.facts?.[service] ?? defaultFacts;

    const record = (service: string, event: PromotionEventKind, reason: string, extra: Partial<RecordEntry> = {}) =>
        options.record({ at: clock.now().toISOString(), service, weight: weightOf(service), event, values: {}, reason, ...extra });
    const recordAll = (event: PromotionEventKind, reason: string, extra: Partial<RecordEntry> = {}) =>
        names.forEach(name => record(name, event, reason, extra));
    const annotate = (event: PromotionEventKind, text: string) =>
        notifier.annotate({ at: clock.now(), services: names, weight: topWeight(), event, text });

    const apply = async (updates: PositionUpdate[], purpose: UpdatePurpose, message: string): Promise<UpdateResult> => {
        const result = await driver.apply(updates, purpose, message);
        if (result.ok) services = applyUpdates(services, updates);
        return result;
    };
    const updateFacts = (r: UpdateResult) => ({ targets: r.targets, durationMs: r.durationMs });

    // ------------------------------------------------------------------ giving traffic back

    /** A rollback or withdrawal whose update failed: page at once, say what a person must run. */
    const failed = async (purpose: "rollback" | "withdraw", result: UpdateResult, reason: string): Promise<WalkResult> => {
        const text =
            `the ${purpose === "rollback" ? "rollback" : "withdrawal"} update failed: ${result.summary} (after: ${reason}); ` +
            `the candidates may still carry traffic (${weightsText()} as last deployed). Run now: npm run promote -- --stack ${stack} --rollback --reason "${purpose} failed"; ` +
            `if it reports a lock a dead update left: pulumi cancel --stack ${stack} --yes, then the rollback again`;
        recordAll("failed", text, updateFacts(result));
        options.log(`${purpose.toUpperCase()} FAILED: ${result.summary}`);
        await notifier.page({ at: clock.now(), services: names, weight: topWeight(), reason: text, urgent: true });
        await annotate("failed", `${purpose} failed: ${result.summary}`);
        return { outcome: "failed", reason: text };
    };

    /** Every candidate back to 0 % (after finalize, the old colour's size first), at any hour. */
    const giveBack = async (purpose: "rollback" | "withdraw", reason: string): Promise<WalkResult | undefined> => {
        for (const batch of rollbackUpdates(services)) {
            const restoring = batch.some(u => u.weight > 0);
            const result = await apply(
                batch,
                purpose,
                `${purpose}: ${restoring ? "restore the old colour's size" : "every candidate to 0 %"} (${reason})`,
            );
            if (!result.ok) return failed(purpose, result, reason);
            batch.forEach(u =>
                record(u.service, purpose, restoring ? `old colour's size restored (${reason})` : reason, updateFacts(result)),
            );
            options.log(`  ${purpose}: ${result.summary}`);
        }
        return undefined;
    };

    const rollback = async (reason: string): Promise<WalkResult> => {
        options.log(`ROLLBACK ${names.join(", ")}: ${reason}`);
        const failure = await giveBack("rollback", reason);
        if (failure) return failure;
        await notifier.page({ at: clock.now(), services: names, weight: 0, reason });
        await annotate("rollback", `rolled back to 0 %: ${reason}`);
        return { outcome: "rolledBack", reason };
    };

    /** The run cannot advance: withdraw every candidate (promotion.onHold: withdraw), or leave them for a person (keep). */
    const cannotAdvance = async (reason: string): Promise<WalkResult> => {
        const carrying = services.filter(s => s.weight > 0);
        if (settings.onHold === "keep" || (!carrying.length && !services.some(s => s.finalize))) {
            const unwatched = carrying.length
                ? `UNWATCHED: ${carrying.map(s => `${s.service} at ${s.weight} %`).join(", ")} ${carrying.length === 1 ? "carries" : "carry"} live traffic that nobody watches (promotion.onHold: keep). ` +
                  `Decide now: npm run promote -- --stack ${stack} to watch again, or --rollback`
                : undefined;
            const why = carrying.length ? reason : `${reason}; no candidate carries traffic, nothing to withdraw`;
            recordAll("hold", why);
            options.log(`${unwatched ?? "HOLD"}: ${why}`);
            await annotate("hold", `promotion held: ${why}`);
            return { outcome: "held", reason: why, unwatched };
        }
        options.log(`WITHDRAW ${names.join(", ")}: ${reason}`);
        const failure = await giveBack("withdraw", reason);
        if (failure) return failure;
        await annotate("withdraw", `withdrawn to 0 %: ${reason}`);
        return { outcome: "withdrawn", reason };
    };

    // ------------------------------------------------------------------ measuring

    const varsOf = (s: ServicePosition, colour: string, window: string) => ({
        namespace,
        service: s.service,
        colour,
        window,
        excludedPaths: factsOf(s.service).excludedPaths,
    });
    const applicable = (checks: Record<string, PromotionCheck>, s: ServicePosition) =>
        Object.entries(checks).filter(([, c]) => c.protocols.includes(s.protocol));
    const readChecks = (prefix: string, checks: [string, PromotionCheck][], s: ServicePosition, colour: string, window: string, at: Date) =>
        Promise.all(
            checks.map(async ([name, check]): Promise<CheckReading> => {
                const reading = await metrics.query(renderQuery(check.query, varsOf(s, colour, window)), at);
                return { name: `${prefix}:${name}`, limit: check.limit, samples: reading.samples, error: reading.error };
            }),
        );
    const readTraffic = async (s: ServicePosition, window: string, at: Date): Promise<TrafficCheck> => {
        const reading = await metrics.query(renderQuery(settings.traffic.query, varsOf(s, otherColour(s.activeColour), window)), at);
        return {
            service: s.service,
            expected: s.weight,
            reading: { name: "traffic:share", limit: settings.traffic.tolerance, samples: reading.samples, error: reading.error },
        };
    };
    /** Every check's query for the service as this step sends it: the record keeps them. */
    const queriesOf = (s: ServicePosition, window: string): Record<string, string> => {
        const candidate = otherColour(s.activeColour);
        const render = (q: string, colour: string) => renderQuery(q, varsOf(s, colour, window));
        return Object.fromEntries([
            ...applicable(settings.triggers, s).map(([n, c]) => [`trigger:${n}`, render(c.query, candidate)]),
            ...(s.protocol === "http" ? [["traffic:share", render(settings.traffic.query, candidate)]] : []),
            ...applicable(settings.gates, s).map(([n, c]) => [`gate:${n}`, render(c.query, candidate)]),
            ...applicable(settings.comparisons, s).flatMap(([n, c]) => [
                [`comparison:${n}`, render(c.query, candidate)],
                [`active:${n}`, render(c.query, s.activeColour)],
            ]),
        ]);
    };
    /** Prometheus must answer before anything moves that then has to be watched. */
    const prometheusProblem = async (): Promise<string | undefined> => {
        const probe = await metrics.query("vector(1)", clock.now());
        return probe.samples[0]?.value === 1
            ? undefined
            : `Prometheus does not answer (${probe.error ?? `vector(1) gave ${JSON.stringify(probe.samples)}`})`;
    };

    /**
     * Ticks until `watchMs` of evidence is in after the traffic is verified (0: until it is verified),
     * rolling back on a trigger and giving up past the error limit or when the window closes.
     */
    const observe = async (label: string, window: string, watchMs: number, resumed: boolean): Promise<WalkResult | undefined> => {
        const start = clock.now();
        const carrying = () => services.filter(s => s.weight > 0);
        // Where the load balancer's effect is measured: HTTP services with traffic (a FIX session is not an HTTP request).
        const httpServices = () => carrying().filter(s => s.protocol === "http");
        const pending = new Set(options.trafficCheck === "report" ? [] : httpServices().map(s => s.service));
        const silenceId = await notifier.silence({
            namespace,
            services: names,
            from: start,
            until: new Date(start.getTime() + watchMs + settings.intervalMs * (settings.consecutiveErrorLimit + 2)),
            comment: `npm run promote: ${names.join(", ")} at ${label}`,
        });
        const end = async (result: WalkResult | undefined) => {
            if (silenceId) await notifier.expireSilence(silenceId);
            return result;
        };
        let state = { noEvidenceInARow: 0, watchedMs: 0 };
        for (let tick = resumed ? 0 : 1; ; tick++) {
            const at = new Date(start.getTime() + tick * settings.intervalMs);
            await clock.sleepUntil(at);
            const counts = pending.size === 0 && tick > 0;
            const triggers = await Promise.all(
                carrying().map(async s => ({
                    service: s.service,
                    readings: await readChecks("trigger", applicable(settings.triggers, s), s, otherColour(s.activeColour), window, at),
                })),
            );
            const traffic = await Promise.all(
                httpServices()
                    .filter(s => pending.has(s.service) || options.trafficCheck === "report")
                    .map(s => readTraffic(s, window, at)),
            );
            const verdict = judgeTick(
                triggers,
                traffic.filter(c => pending.has(c.service)),
                settings.traffic.tolerance,
            );
            if (verdict.kind !== "breach") verdict.verified.forEach(s => pending.delete(s));
            for (const t of triggers) {
                const share = traffic.find(c => c.service === t.service);
                const values = Object.fromEntries([...t.readings, ...(share ? [share.reading] : [])].map(r => [r.name, recordedValue(r)]));
                const why =
                    verdict.kind === "breach"
                        ? "trigger breached"
                        : verdict.kind === "noEvidence"
                          ? `no evidence: ${verdict.reasons.filter(r => r.startsWith(`${t.service} `)).join("; ") || "another service's"}`
                          : `${Math.round(state.watchedMs / 1000)}s of ${window} watched`;
                record(t.service, "check", why, { values });
            }
            const decision = decideTick(verdict, state, {
                limit: settings.consecutiveErrorLimit,
                intervalMs: settings.intervalMs,
                watchMs,
                counts,
                windowClosed: options.window(at),
                weightText: label,
            });
            options.log(
                `  ${label} ${Math.round((at.getTime() - start.getTime()) / 1000)}s: ` +
                    (triggers
                        .map(t => `${t.service} ${t.readings.map(r => `${r.name} ${recordedValue(r) ?? "no data"}`).join(", ")}`)
                        .join(" | ") || "no service takes traffic") +
                    (traffic.length
                        ? ` | traffic ${traffic.map(c => `${c.service} ${recordedValue(c.reading) ?? "?"} % of ${c.expected} %`).join(", ")}`
                        : "") +
                    (verdict.kind === "noEvidence" ? ` (no evidence ${state.noEvidenceInARow + 1}/${settings.consecutiveErrorLimit})` : ""),
            );
            if (decision.action === "rollback") return end(await rollback(decision.reason));
            if (decision.action === "cannotAdvance") return end(await cannotAdvance(decision.reason));
            if (decision.action === "watched") return end(undefined);
            state = { noEvidenceInARow: decision.noEvidenceInARow, watchedMs: decision.watchedMs };
        }
    };

    /** A step's whole watch, then its gates over it. */
    const watch = async (stepIndex: number, resumed: boolean): Promise<WalkResult | undefined> => {
        const step = settings.steps[stepIndex];
        const label = `${step.weight} %`;
        if (resumed) options.log(`RESUME ${weightsText()}: watching step ${label} again from the start`);
        const observed = await observe(label, step.watch, step.watchMs, resumed);
        if (observed) return observed;
        const at = clock.now();
        const readings: GateReadings[] = await Promise.all(
            services
                .filter(s => s.weight > 0)
                .map(async s => {
                    const candidate = otherColour(s.activeColour);
                    const comparisons = s.weight < 100 ? applicable(settings.comparisons, s) : [];
                    const [gates, mine, theirs] = await Promise.all([
                        readChecks("gate", applicable(settings.gates, s), s, candidate, step.watch, at),
                        readChecks("comparison", comparisons, s, candidate, step.watch, at),
                        readChecks("active", comparisons, s, s.activeColour, step.watch, at),
                    ]);
                    return { service: s.service, gates, comparisons: mine.map((m, i) => ({ candidate: m, active: theirs[i] })) };
                }),
        );
        const verdict = judgeGates(readings);
        for (const r of readings) {
            const values = Object.fromEntries(
                [...r.gates, ...r.comparisons.flatMap(c => [c.candidate, c.active])].map(x => [x.name, recordedValue(x)]),
            );
            record(r.service, "check", verdict.kind === "pass" ? `gates held over ${step.watch}` : "gates not met", { values });
        }
        if (verdict.kind === "noData") {
            return cannotAdvance(`no data for the gates at ${label}: ${verdict.reasons.join("; ")} (no data is not health)`);
        }
        if (verdict.kind === "fail") {
            return cannotAdvance(`gates not met over the ${step.watch} watch at ${label}: ${verdict.reasons.join("; ")}`);
        }
        options.log(`PASSED ${label} after ${step.watch}: gates held`);
        return undefined;
    };

    // ------------------------------------------------------------------ the walk

    if (services.every(s => s.finalize)) {
        recordAll("promoted", "already at 100 % and finalized: nothing to do");
        options.log(`${names.join(", ")} already at 100 % and finalized: nothing to do`);
        return { outcome: "promoted", reason: "already promoted" };
    }

    // Whoever carries traffic is judged at once, before anything else happens (a resumed run's breach).
    if (services.some(s => s.weight > 0)) {
        const at = clock.now();
        const triggers = await Promise.all(
            services
                .filter(s => s.weight > 0)
                .map(async s => ({
                    service: s.service,
                    readings: await readChecks(
                        "trigger",
                        applicable(settings.triggers, s),
                        s,
                        otherColour(s.activeColour),
                        settings.steps[0].watch,
                        at,
                    ),
                })),
        );
        const verdict = judgeTick(triggers, [], settings.traffic.tolerance);
        if (verdict.kind === "breach") return rollback(`at ${weightsText()}: ${verdict.reasons.join("; ")}`);
    }

    // A candidate at 0 % takes no traffic until its smoke test passed: the stage update awaits it.
    const staged = services.filter(s => s.weight === 0 && !s.finalize);
    if (staged.length) {
        const closed = options.window(clock.now());
        if (closed) {
            return cannotAdvance(
                `the deployment window is closed (${closed}); staging ${staged.map(s => s.service).join(", ")} waits for it`,
            );
        }
        const down = await prometheusProblem();
        if (down) return cannotAdvance(`${down}; nothing moves until it answers`);
        const result = await apply(
            staged.map(s => ({ service: s.service, weight: s.weight, finalize: s.finalize })),
            "stage",
            `stage ${staged.map(s => s.service).join(", ")}: smoke tests before any traffic`,
        );
        for (const s of staged) {
            const smoke = result.smoke.find(o => o.service === s.service);
            record(
                s.service,
                "smoke",
                smoke
                    ? `smoke test ${smoke.job} ${smoke.result}${smoke.detail ? `: ${smoke.detail}` : ""}`
                    : `no smoke test ran (${result.summary})`,
                {
                    ...updateFacts(result),
                    smoke,
                },
            );
        }
        options.log(
            `STAGE ${staged.map(s => s.service).join(", ")}: ${result.summary}${result.smoke.length ? `; smoke: ${result.smoke.map(o => `${o.job} ${o.result}`).join(", ")}` : ""}`,
        );
        if (!result.ok && result.refusedBy === WINDOW_POLICY) {
            return cannotAdvance(`the deployment window closed during the stage update: ${result.summary}`);
        }
        if (!result.ok) return rollback(`the stage update failed before any traffic moved: ${result.summary}`);
    }

    if (standsTogether(services, settings)) {
        const outcome = await watch(runStepIndex(services, settings), true);
        if (outcome) return outcome;
    }

    for (;;) {
        const move = nextMove(services, settings);
        if (move.kind === "done") return { outcome: "promoted", reason: "every service at 100 % and finalized" };
        if (move.kind === "step") {
            const step = settings.steps[move.stepIndex];
            const closed = options.window(clock.now());
            if (closed) return cannotAdvance(`the deployment window is closed (${closed}); the next step (${step.weight} %) waits for it`);
            const down = await prometheusProblem();
            if (down) return cannotAdvance(`${down}; the next step (${step.weight} %) waits for it`);
            const result = await apply(
                move.updates,
                "advance",
                `promote ${move.updates.map(u => `${u.service} to ${u.weight} %`).join(", ")}`,
            );
            // The window closing under an update is no fault of the candidate; a stack policy fails the update after its steps ran, so it is withdrawn.
            if (!result.ok && result.refusedBy === WINDOW_POLICY) {
                return cannotAdvance(`the deployment window closed during the update to ${step.weight} %: ${result.summary}`);
            }
            if (!result.ok) return rollback(`the update to ${step.weight} % failed: ${result.summary}`);
            for (const s of services) {
                const moved = move.updates.some(u => u.service === s.service);
                record(
                    s.service,
                    "step",
                    moved ? `candidate at ${s.weight} % (${result.summary})` : `holds at ${s.weight} % while the others catch up`,
                    {
                        ...(moved ? updateFacts(result) : {}),
                        queries: queriesOf(s, step.watch),
                    },
                );
            }
            options.log(`STEP ${weightsText()}: ${result.summary}`);
            await annotate("step", `${weightsText()}`);
            const outcome = await watch(move.stepIndex, false);
            if (outcome) return outcome;
            continue;
        }
        // Cutover held for its whole watch: the traffic is checked once more, then the old colour scales down (one replica kept for an instant rollback).
        const last = settings.steps[settings.steps.length - 1];
        recordAll("promoted", `every service at 100 % for ${last.watch} with healthy metrics`);
        const verified = await observe("100 % before finalize", last.watch, 0, false);
        if (verified) return verified;
        const closed = options.window(clock.now());
        if (closed) return cannotAdvance(`promoted to 100 %, but the deployment window closed (${closed}); finalize waits for it`);
        const result = await apply(
            move.updates,
            "finalize",
            `finalize ${move.updates.map(u => u.service).join(", ")}: old colour to one replica`,
        );
        if (!result.ok && result.refusedBy === WINDOW_POLICY) {
            return cannotAdvance(`the deployment window closed during finalize: ${result.summary}`);
        }
        if (!result.ok) return rollback(`finalize failed: ${result.summary}`);
        recordAll("finalized", `old colour scaled to one replica (${result.summary})`, updateFacts(result));
        options.log(`FINALIZED ${names.join(", ")}: ${result.summary}`);
        await annotate("finalized", `${names.join(", ")} finalized`);
    }
}

/** `--rollback`: every named service back to 0 % at once (restoring the old colour's size first after finalize). */
export async function rollBackByHand(
    options: Pick<WalkOptions, "driver" | "clock" | "notifier" | "record" | "log" | "stack"> & { services: string[] },
    reason: string,
): Promise<WalkResult> {
    const state = await options.driver.read(options.services);
    let services = state.services;
    const names = services.map(s => s.service);
    const stack = options.stack ?? "production";
    for (const batch of rollbackUpdates(services)) {
        const result = await options.driver.apply(batch, "rollback", `rollback by hand: ${reason}`);
        if (!result.ok) {
            const text = `the rollback update failed: ${result.summary}; run it again (npm run promote -- --stack ${stack} --rollback), and if a dead update left a lock: pulumi cancel --stack ${stack} --yes first`;
            for (const name of names) {
                options.record({
                    at: options.clock.now().toISOString(),
                    service: name,
                    weight: services.find(s => s.service === name)?.weight ?? 0,
                    event: "failed",
                    values: {},
                    reason: text,
                    targets: result.targets,
                    durationMs: result.durationMs,
                });
            }
            options.log(`ROLLBACK FAILED: ${result.summary}`);
            await options.notifier.page({
                at: options.clock.now(),
                services: names,
                weight: Math.max(0, ...services.map(s => s.weight)),
                reason: text,
                urgent: true,
            });
            await options.notifier.annotate({
                at: options.clock.now(),
                services: names,
                weight: Math.max(0, ...services.map(s => s.weight)),
                event: "failed",
                text: `rollback by hand failed: ${result.summary}`,
            });
            return { outcome: "failed", reason: text };
        }
        services = applyUpdates(services, batch);
        for (const u of batch) {
            options.record({
                at: options.clock.now().toISOString(),
                service: u.service,
                weight: u.weight,
                event: "rollback",
                values: {},
                reason,
                targets: result.targets,
                durationMs: result.durationMs,
            });
        }
    }
    options.log(`ROLLBACK ${names.join(", ")}: ${reason}`);
    await options.notifier.annotate({
        at: options.clock.now(),
        services: names,
        weight: 0,
        event: "rollback",
        text: `rolled back by hand: ${reason}`,
    });
    return { outcome: "rolledBack", reason };
}
