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
