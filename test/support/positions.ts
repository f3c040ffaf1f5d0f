import { ServicePosition } from "../../tools/promote/types";

// Positions as the promotion's tests write them: an HTTP service on blue, a FIX service on green.

export const http = (service: string, weight = 0, finalize = false): ServicePosition => ({
    service,
    activeColour: "blue",
    weight,
    finalize,
    protocol: "http",
});

export const fix = (service: string, weight = 0): ServicePosition => ({
    service,
    activeColour: "green",
    weight,
    finalize: false,
    protocol: "fix",
});
