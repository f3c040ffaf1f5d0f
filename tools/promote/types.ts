// The promotion's vocabulary: what the state machine (machine.ts) decides on and the three adapters it
// talks through (a stack driver, a metrics source, a clock), plus the notifications it sends.
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

export type UpdatePurpose = "advance" | "finalize" | "rollback";

export interface UpdateResult {
    ok: boolean;
    /** One line: what the update did, or why it failed (a policy violation, an engine error). */
    summary: string;
}

/** Applies positions to the stack: one real update (live) or one offline plan with the whole pack (rehearsal). */
export interface StackDriver {
    /** What the stack runs now: every service of `services`, or every blue-green service when empty. */
    read(services: string[]): Promise<StackState>;
    /**
     * One update setting every listed service's weight and finalize. A rollback runs under the rollback policy config
     * (the deployment window advisory: the window stops advancing, never retreating).
     */
    apply(updates: PositionUpdate[], purpose: UpdatePurpose, message: string): Promise<UpdateResult>;
}

/** An instant query's answer: a number, or null with why (no sample, an error, Prometheus down). */
export interface MetricReading {
    value: number | null;
    error?: string;
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

export type PromotionEventKind = "step" | "check" | "rollback" | "hold" | "promoted" | "finalized";

/** One decision, as `--record FILE.jsonl` writes it (one JSON line each). */
export interface RecordEntry {
    /** ISO time of the decision (simulated time in a rehearsal). */
    at: string;
    service: string;
    /** The candidate's weight after the decision. */
    weight: number;
    event: PromotionEventKind;
    /** Each trigger, gate and comparison by name (`gate:errorRate`, …): a number, or null for no data. */
    values: Record<string, number | null>;
    reason: string;
}

/** The seed's channels, each optional; a failed notification is reported, never blocks a decision. */
export interface Notifier {
    /** A Grafana annotation for a step, rollback, hold or finalize. */
    annotate(entry: { at: Date; services: string[]; weight: number; event: PromotionEventKind; text: string }): Promise<void>;
    /** An Alertmanager silence on the services during a watch; returns its id, or undefined when not configured. */
    silence(entry: { namespace: string; services: string[]; from: Date; until: Date; comment: string }): Promise<string | undefined>;
    /** Ends a silence early (the watch ended sooner: a rollback or a hold). */
    expireSilence(id: string): Promise<void>;
    /** A PagerDuty event on rollback. */
    page(entry: { at: Date; services: string[]; weight: number; reason: string }): Promise<void>;
}
