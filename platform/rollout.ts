// Blue-green rollout facts the BlueGreenService component declares and the traffic policy reads back.

/** The shares of traffic (percent) a candidate colour may take, in order. */
export const CANARY_STEPS = [0, 5, 25, 50, 100] as const;
export type CanaryStep = (typeof CANARY_STEPS)[number];

export const COLOURS = ["blue", "green"] as const;
export type Colour = (typeof COLOURS)[number];

export const otherColour = (colour: Colour): Colour => (colour === "blue" ? "green" : "blue");

/** Annotations on every Deployment BlueGreenService declares; the blue-green stack policy reads them back. */
export const rolloutAnnotations = {
    service: "trading-platform/service",
    colour: "trading-platform/colour",
    weight: "trading-platform/traffic-weight",
    minReady: "trading-platform/min-ready",
} as const;
