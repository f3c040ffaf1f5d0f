// The FIX gateway's exposure rules, as pure functions: config validation, the component and the
// tests read the same ones. A FIX session is one long-lived TCP connection that the counterparty
// expects from exactly one gateway, so it rides an NLB and cuts over whole.

import { CANARY_STEPS } from "../../platform/rollout";

/** Set on each colour: "true" only where the NLB sends the session. */
export const FIX_SESSION_ENV = "FIX_SESSION_ENABLED";
/** `appProtocol` of FIX ports, so an HTTP load balancer in front of them can be recognised. */
export const FIX_APP_PROTOCOL = "trading-platform/fix";
/** The only steps of a whole cutover: all traffic on the active colour, or all on the candidate. */
export const FIX_CUTOVER_STEPS: readonly number[] = [CANARY_STEPS[0], CANARY_STEPS[CANARY_STEPS.length - 1]];

export interface NlbExposure {
    port: number;
    /** TLS terminated at the NLB with this certificate; absent: plain TCP through to the pod. */
    tls?: { certificateArn: string; sslPolicy: string };
}

/** Why a blue-green step is impossible for a FIX service, or undefined when it is a whole cutover. */
export function fixCutoverProblem(step: number): string | undefined {
    if (FIX_CUTOVER_STEPS.includes(step)) return undefined;
    return `step ${step} would split FIX sessions across both colours; a FIX session is logged on from exactly one gateway at a time, so a FIX service cuts over whole (step ${FIX_CUTOVER_STEPS.join(" or ")})`;
}

/** The AWS Load Balancer Controller's annotations for an internal NLB with IP targets. */
export function nlbAnnotations(exposure: NlbExposure): Record<string, string> {
    return {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
        // Close connections to a deregistered colour at cutover, so no session lingers on it.
        "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "deregistration_delay.timeout_seconds=30,deregistration_delay.connection_termination.enabled=true",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "TCP",
        ...(exposure.tls
            ? {
                  "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": exposure.tls.certificateArn,
                  "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": String(exposure.port),
                  "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": exposure.tls.sslPolicy,
              }
            : {}),
    };
}
