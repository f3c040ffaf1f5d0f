import { Clock } from "./types";

/** Live: the wall clock, sleeping for real. */
export const wallClock: Clock = {
    now: () => new Date(),
    sleepUntil: instant => new Promise(resolve => setTimeout(resolve, Math.max(0, instant.getTime() - Date.now()))),
};

/** Rehearsal and tests: time starts at `from` and jumps to each instant asked for, without sleeping. */
export class SimulatedClock implements Clock {
    private current: number;
    constructor(from: Date) {
        this.current = from.getTime();
    }
    now(): Date {
        return new Date(this.current);
    }
    async sleepUntil(instant: Date): Promise<void> {
        this.current = Math.max(this.current, instant.getTime());
    }
}
