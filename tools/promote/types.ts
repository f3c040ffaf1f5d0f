// The promotion's vocabulary: what the judges (judge.ts) decide on, the walk (machine.ts) applies, and
// the adapters it talks through (a stack driver, a metrics source, a clock, the notifications).
import { BlueGreenPosition } from "../../platform";

/** One blue-green service of the stack and where it stands now. */
export interface ServicePosition extends BlueGreenPosition {
    service: string;
}

export interface StackState {
    /** The Kubernetes namespace the services run in ({{namespace}} in queries). */
    namespace: string;
    services: ServicePosition[];
}

/** One service's target in an update: the candidate's weight and finalize (colour and protocol stay). */
export type PositionUpdate = Pick<ServicePosition, "service" | "weight" | "finalize">;

/**
 * Why an update runs. `stage`: the candidates as the stack file declares them at their current weights,
 * their smoke tests awaited, before any traffic moves; `withdraw` and `rollback` take every candidate
 * to 0 % and run at any hour (the rollback policy config).
 */
export type UpdatePurpose = "stage" | "advance" | "finalize" | "withdraw" | "rollback";

/** A smoke test's Job as an update saw it. `unchanged`: it ran and passed in an earlier update, and this one left it alone. */
export interface SmokeOutcome {
    service: string;
    job: string;
    result: "passed" | "failed" | "unchanged" | "planned";
    detail?: string;
}

export interface UpdateResult {
    ok: boolean;
    /** One line: what the update did, or why it failed (a policy violation, the failing resource's diagnostics). */
    summary: string;
    /** The URNs the update was limited to (`--target`); empty when nothing changes (no update ran). */
    targets: string[];
    /** How long the update took (the engine's own duration where it reports one). */
    durationMs: number;
    smoke: SmokeOutcome[];
    /** The policy whose mandatory violation refused a failed update, when one did. */
    refusedBy?: string;
}

/** Applies positions to the stack: one real, targeted update (live) or one offline plan with the whole pack (rehearsal). */
export interface StackDriver {
    /** What the stack runs now: every service of `services`, or every blue-green service when empty. */
    read(services: string[]): Promise<StackState>;
    /**
     * One update setting every listed service's weight and finalize, limited to the resources whose
     * inputs change. A withdrawal or rollback runs under the rollback policy config (the deployment
     * window advisory: the window stops advancing, never retreating).
     */
    apply(updates: PositionUpdate[], purpose: UpdatePurpose, message: string): Promise<UpdateResult>;
}

/** One series of an instant query's answer. */
export interface Sample {
    labels: Record<string, string>;
    /** Prometheus' float: +Inf and NaN included. */
    value: number;
}

/**
 * An instant query's answer: its series, or why there are none. `refused`: Prometheus answered with an
 * error (bad PromQL); `unreachable`: no usable answer at all (down, a timeout, not the query API).
 */
export interface MetricReading {
    samples: Sample[];
    error?: string;
    failure?: "refused" | "unreachable" | "shape";
}

export interface MetricsSource {
    /** Evaluates `promql` at `time` (Prometheus `/api/v1/query` with `time`). Never throws. */
    query(promql: string, time: Date): Promise<MetricReading>;
}

export interface Clock {
    now(): Date;
    /** Returns at `instant` (live: sleeps; simulated: jumps there). */
    sleepUntil(instant: Date): Promise<void>;
}

export type PromotionEventKind =
    | "preflight"
    | "smoke"
    | "step"
    | "check"
    | "rollback"
    | "withdraw"
    | "hold"
    | "promoted"
    | "finalized"
    /** A rollback or withdrawal whose update failed: a person must act (exit 4). */
    | "failed";

/** One decision, as `--record FILE.jsonl` writes it (one JSON line each). */
export interface RecordEntry {
    /** ISO time of the decision (simulated time in a rehearsal). */
    at: string;
    service: string;
    /** The candidate's weight after the decision. */
    weight: number;
    event: PromotionEventKind;
    /** Each trigger, gate, comparison and the traffic share by name (`gate:errorRate`, `traffic:share`): a number, or null for no data. */
    values: Record<string, number | null>;
    reason: string;
    /** Each check's query as sent to Prometheus for this service (preflight and step entries). */
    queries?: Record<string, string>;
    /** The update's targets (URNs) and how long it took (step, finalize, withdraw, rollback entries). */
    targets?: string[];
    durationMs?: number;
    /** The service's smoke test, as the update that staged it saw it. */
    smoke?: SmokeOutcome;
}

/** The team's channels (Grafana, Alertmanager, PagerDuty), each optional; a failed notification is reported, never blocks a decision. */
export interface Notifier {
    /** A Grafana annotation for a step, rollback, withdrawal or finalize. */
    annotate(entry: { at: Date; services: string[]; weight: number; event: PromotionEventKind; text: string }): Promise<void>;
    /** An Alertmanager silence on the services during a watch; returns its id, or undefined when not configured. */
    silence(entry: { namespace: string; services: string[]; from: Date; until: Date; comment: string }): Promise<string | undefined>;
    /** Ends a silence early (the watch ended sooner). */
    expireSilence(id: string): Promise<void>;
    /**
     * A PagerDuty event: on rollback, and at once when a rollback or withdrawal failed (`urgent`). One
     * incident per decision: retries of the same page carry the same dedup key.
     */
    page(entry: { at: Date; services: string[]; weight: number; reason: string; urgent?: boolean }): Promise<void>;
}
