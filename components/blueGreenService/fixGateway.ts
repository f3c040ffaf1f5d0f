// The FIX gateway's exposure rules, as pure functions: config validation, the component and the
// tests read the same ones. A FIX session is one long-lived TCP connection that the counterparty
// expects from exactly one gateway, so it rides an NLB and cuts over whole.

/** Set on each colour: "true" only where the NLB sends the session. */
export const FIX_SESSION_ENV = "FIX_SESSION_ENABLED";
/** `appProtocol` of FIX ports, so an HTTP load balancer in front of them can be recognised. */
export const FIX_APP_PROTOCOL = "trading-platform/fix";

export interface NlbExposure {
    port: number;
    /** TLS terminated at the NLB with this certificate; absent: plain TCP through to the pod. */
    tls?: { certificateArn: string; sslPolicy: string };
}

/** The AWS Load Balancer Controller's annotations for an internal NLB with IP targets. */
export function nlbAnnotations(exposure: NlbExposure): Record<string, string> {
    return {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
        // Close connections to a deregistered colour at cutover, so no session lingers on it.
        "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes":
            "deregistration_delay.timeout_seconds=30,deregistration_delay.connection_termination.enabled=true",
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
