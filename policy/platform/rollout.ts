// Blue-green rollout facts the BlueGreenService component declares and the traffic policy reads back.

/** The weights a candidate colour may take (its share of traffic, in percent), in order. */
export const CANARY_WEIGHTS = [0, 5, 25, 50, 100] as const;
export type CanaryWeight = (typeof CANARY_WEIGHTS)[number];

export const COLOURS = ["blue", "green"] as const;
export type Colour = (typeof COLOURS)[number];

export const otherColour = (colour: Colour): Colour => (colour === "blue" ? "green" : "blue");

/** What a service speaks to its clients: `http` behind an ALB, `fix` (one long-lived TCP session) behind an NLB. */
export const PROTOCOLS = ["http", "fix"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * Where a blue-green service stands: its config (`blueGreen` and `protocol`), the stack's `promotionState`
 * output, and what the promotion reads and moves. Its schema: blueGreenPositionSchema (stacks/config/deployments.ts).
 */
export interface BlueGreenPosition {
    /** The colour serving before this release; the other one is the candidate. */
    activeColour: Colour;
    /** The candidate's weight: its share of traffic in percent, one of CANARY_WEIGHTS. */
    weight: number;
    /** After cutover (weight 100): the old colour is scaled down to one replica. */
    finalize: boolean;
    /** A `fix` service cuts over whole (FIX_CUTOVER_WEIGHTS). */
    protocol: Protocol;
}

// A FIX session is logged on from exactly one gateway at a time, so a `fix` service cuts over whole:
// the config rules and the promotion both read these.
/** The only candidate weights of a whole cutover: all traffic on the active colour, or all on the candidate. */
export const FIX_CUTOVER_WEIGHTS: readonly number[] = [CANARY_WEIGHTS[0], CANARY_WEIGHTS[CANARY_WEIGHTS.length - 1]];

/** Why a candidate weight is impossible for a `fix` service, or undefined when it is a whole cutover. */
export function fixCutoverProblem(weight: number): string | undefined {
    if (FIX_CUTOVER_WEIGHTS.includes(weight)) return undefined;
    return `weight ${weight} would split FIX sessions across both colours; a FIX session is logged on from exactly one gateway at a time, so a FIX service cuts over whole (weight ${FIX_CUTOVER_WEIGHTS.join(" or ")})`;
}

/** The candidate's weight at a canary step of weight `stepWeight`: a `fix` service stays at 0 until the step of 100. */
export function weightAtStep(protocol: Protocol, stepWeight: number): number {
    if (protocol !== "fix") return stepWeight;
    const [none, whole] = FIX_CUTOVER_WEIGHTS;
    return stepWeight === whole ? whole : none;
}

/** Annotations on every Deployment BlueGreenService declares; the blue-green stack policy reads them back. */
export const rolloutAnnotations = {
    service: "trading-platform/service",
    colour: "trading-platform/colour",
    weight: "trading-platform/traffic-weight",
    minReady: "trading-platform/min-ready",
} as const;

/** The Kubernetes objects (Deployment, Service, PodDisruptionBudget) of one colour; its pods' names start `<this>-`. */
export const colourObjectName = (service: string, colour: string): string => `${service}-${colour}`;

/** The AWS Load Balancer Controller reads a custom action from the Ingress annotation `<prefix><action>`. */
export const ALB_ACTION_ANNOTATION_PREFIX = "alb.ingress.kubernetes.io/actions.";
/** A blue-green service's weighted forward action: the Ingress backend names it, with port `use-annotation`. */
export const albActionName = (service: string): string => `${service}-weighted`;
/** The annotation key holding a blue-green service's forward action (Argo Rollouts: ALBActionAnnotationKey). */
export const albActionAnnotationKey = (service: string): string => `${ALB_ACTION_ANNOTATION_PREFIX}${albActionName(service)}`;
/** The action an Ingress annotation key declares, or undefined when the key is no action. */
export const albActionOf = (annotationKey: string): string | undefined =>
    annotationKey.startsWith(ALB_ACTION_ANNOTATION_PREFIX) ? annotationKey.slice(ALB_ACTION_ANNOTATION_PREFIX.length) : undefined;
