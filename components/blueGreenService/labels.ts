// The label every pod, Service, PodMonitor and NetworkPolicy of a trading service selects it by.

export const SERVICE_LABEL = "app.kubernetes.io/name";

/** The labels selecting every pod of `service`, of either colour. */
export function serviceSelector(service: string): Record<string, string> {
    return { [SERVICE_LABEL]: service };
}
