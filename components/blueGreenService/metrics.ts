// How the services' own metrics reach Prometheus: a PodMonitor (kube-prometheus-stack scrapes every
// one) that labels each series with the service and the colour, so the promotion's queries
// (stacks/config/promotion.ts) can tell the candidate from the active colour.

import { rolloutAnnotations } from "../../platform/rollout";
import { SERVICE_LABEL, serviceSelector } from "./labels";

/**
 * The labels every scraped series of a trading service carries, besides Prometheus' own `namespace` and
 * `pod`; `path` is the request path the services put on `http_requests_total` and the latency histogram
 * (what tells the kubelet's probes and Prometheus' scrapes from client requests).
 */
export const METRIC_LABELS = { service: "service", colour: "colour", path: "path" } as const;

/** The path the services expose Prometheus metrics on, on their `http` port. */
export const METRICS_PATH = "/metrics";

/**
 * How often Prometheus scrapes the services (each PodMonitor endpoint's `interval`), unless the stack sets
 * `deployments.scrapeInterval`. Every range a promotion query reads spans at least four of these, so
 * one late scrape never reads as no data.
 */
export const SCRAPE_INTERVAL = "30s";

/** Prometheus' discovery label for a pod label: every character outside [a-zA-Z0-9_] becomes `_`. */
export const podLabelMeta = (label: string) => `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, "_")}`;

/** The request paths that are no client's: the kubelet's readiness and liveness probes, and Prometheus' scrape. */
export function nonClientPaths(probes: { readinessPath: string; livenessPath: string }): string[] {
    return [...new Set([probes.readinessPath, probes.livenessPath, METRICS_PATH])];
}

/**
 * A PromQL regex (inside a double-quoted label matcher) matching exactly these paths. Paths are
 * `/[A-Za-z0-9._~/-]*` (the config's rule), so only `.` needs escaping, written `[.]` to need no backslash.
 */
export const pathsRegex = (paths: string[]): string => paths.map(p => p.replace(/\./g, "[.]")).join("|");

/** The PodMonitor spec for one service: its pods' `http` port, scraped every `interval`, relabelled with the service and the colour. */
export function podMonitorSpec(service: string, interval: string = SCRAPE_INTERVAL) {
    return {
        selector: { matchLabels: serviceSelector(service) },
        podMetricsEndpoints: [
            {
                port: "http",
                path: METRICS_PATH,
                interval,
                relabelings: [
                    { sourceLabels: [podLabelMeta(SERVICE_LABEL)], targetLabel: METRIC_LABELS.service },
                    { sourceLabels: [podLabelMeta(rolloutAnnotations.colour)], targetLabel: METRIC_LABELS.colour },
                ],
            },
        ],
    };
}
