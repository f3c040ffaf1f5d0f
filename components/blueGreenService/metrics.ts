// How the services' own metrics reach Prometheus: a PodMonitor (kube-prometheus-stack scrapes every
// one) that labels each series with the service and the colour, so the promotion's queries
// (stacks/config/promotion.ts) can tell the candidate from the active colour.

import { rolloutAnnotations } from "../../platform/rollout";
import { SERVICE_LABEL, serviceSelector } from "./labels";

/** The labels every scraped series of a trading service carries, besides Prometheus' own `namespace` and `pod`. */
export const METRIC_LABELS = { service: "service", colour: "colour" } as const;

/**
 * How often Prometheus scrapes each service's pods, in seconds: explicit, so a rate window over the
 * services' series can be held to at least four scrapes of it.
 */
export const SCRAPE_INTERVAL_SECONDS = 15;

/** The path the services expose Prometheus metrics on, on their `http` port. */
export const METRICS_PATH = "/metrics";

/** Prometheus' discovery label for a pod label: every character outside [a-zA-Z0-9_] becomes `_`. */
export const podLabelMeta = (label: string) => `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, "_")}`;

/** The PodMonitor spec for one service: its pods' `http` port, relabelled with the service and the colour. */
export function podMonitorSpec(service: string) {
    return {
        selector: { matchLabels: serviceSelector(service) },
        podMetricsEndpoints: [
            {
                port: "http",
                path: METRICS_PATH,
                interval: `${SCRAPE_INTERVAL_SECONDS}s`,
                relabelings: [
                    { sourceLabels: [podLabelMeta(SERVICE_LABEL)], targetLabel: METRIC_LABELS.service },
                    { sourceLabels: [podLabelMeta(rolloutAnnotations.colour)], targetLabel: METRIC_LABELS.colour },
                ],
            },
        ],
    };
}
