import { Clock, PositionUpdate, StackDriver, StackState, UpdatePurpose, UpdateResult } from "../../tools/promote/types";

export interface AppliedUpdate {
    updates: PositionUpdate[];
    purpose: UpdatePurpose;
    message: string;
    /** The clock's time when the update ran (rehearsal time in tests). */
    at?: string;
}

/** A stack held in memory: what the state machine applied, in order, and an optional refusal per update. */
export class MemoryDriver implements StackDriver {
    readonly applied: AppliedUpdate[] = [];

    constructor(
        public state: StackState,
        private readonly options: {
            clock?: Clock;
            refuse?: (updates: PositionUpdate[], purpose: UpdatePurpose) => string | { summary: string; refusedBy: string } | undefined;
        } = {},
    ) {}

    async read(services: string[]): Promise<StackState> {
        const chosen = services.length ? this.state.services.filter(s => services.includes(s.service)) : this.state.services;
        return { namespace: this.state.namespace, services: chosen.map(s => ({ ...s })) };
    }

    async apply(updates: PositionUpdate[], purpose: UpdatePurpose, message: string): Promise<UpdateResult> {
        this.applied.push({ updates, purpose, message, at: this.options.clock?.now().toISOString() });
        const refusal = this.options.refuse?.(updates, purpose);
        if (refusal) {
            const { summary, refusedBy } = typeof refusal === "string" ? { summary: refusal, refusedBy: undefined } : refusal;
            return { ok: false, summary, refusedBy, targets: updates.map(u => u.service), durationMs: 0, smoke: [] };
        }
        this.state = {
            ...this.state,
            services: this.state.services.map(s => {
                const u = updates.find(x => x.service === s.service);
                return u ? { ...s, weight: u.weight, finalize: u.finalize } : s;
            }),
        };
        return {
            ok: true,
            summary: `updated ${updates.length} service(s)`,
            targets: updates.map(u => u.service),
            durationMs: 0,
            smoke:
                purpose === "stage" ? updates.map(u => ({ service: u.service, job: `${u.service}-smoke`, result: "passed" as const })) : [],
        };
    }

    /** The weights each update set, as "svc=weight" lists: the walk at a glance. */
    get walked(): string[] {
        return this.applied.map(a => `${a.purpose} ${a.updates.map(u => `${u.service}=${u.weight}${u.finalize ? "F" : ""}`).join(",")}`);
    }
}
