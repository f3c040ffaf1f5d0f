import * as grafana from "@pulumiverse/grafana";
import { nonClientPaths, pathsRegex } from "../components/blueGreenService";
import { DashboardService, DashboardSpec, RenderedCheck, RolloutDashboard, weightQuery } from "../components/rolloutDashboard";
import { COLOURS, Colour } from "../platform";
import { StackConfig } from "./config";
import { blueGreenPositions } from "./config/deployments";
import { PromotionSettings, promotionSettings, renderQuery, requestRateQuery } from "./config/promotion";
import { fromConfig } from "./configSource";

/** How the dashboard renders `{{window}}`: its own variable, one choice per step's watch. */
export const WINDOW_VARIABLE = "$window";

/**
 * The rollout dashboard's content from the promotion's merged settings: every blue-green service, each
 * check that judges its protocol rendered per colour exactly as the walk renders it (`{{window}}` left
 * to the dashboard's `$window`), with the check's own limit.
 */
export function dashboardSpec(
    config: Pick<StackConfig, "deployments" | "eks" | "promotion">,
    settings: PromotionSettings = promotionSettings(config.promotion),
): DashboardSpec {
    const dashboard = config.promotion?.dashboard;
    const grafanaSettings = config.promotion?.notifications.grafana;
    if (!dashboard || !grafanaSettings) {
        throw new Error("dashboardSpec: promotion.dashboard and promotion.notifications.grafana are required (the config rules say so)");
    }
    const namespace = config.eks.namespace;
    const positions = blueGreenPositions(config.deployments);
    const services: DashboardService[] = [];
    for (const [name, declared] of Object.entries(config.deployments.services)) {
        const position = positions[name];
        if (!position || !declared) continue;
        // The walk's {{excludedPaths}}: the service's probe paths and the metrics path.
        const excludedPaths = pathsRegex(nonClientPaths(declared.probes));
        const perColour = (template: string): Record<Colour, string> =>
            Object.fromEntries(
                COLOURS.map(colour => [
                    colour,
                    renderQuery(template, { namespace, service: name, colour, window: WINDOW_VARIABLE, excludedPaths }),
                ]),
            ) as Record<Colour, string>;
        const checks = (kind: RenderedCheck["kind"], from: PromotionSettings["triggers"]): RenderedCheck[] =>
            Object.entries(from)
                .filter(([, check]) => check.protocols.includes(position.protocol))
                .map(([checkName, check]) => ({ name: checkName, kind, limit: check.limit, queries: perColour(check.query) }));
        const http = position.protocol === "http";
        services.push({
            name,
            protocol: position.protocol,
            weight: Object.fromEntries(COLOURS.map(colour => [colour, weightQuery(namespace, name, colour)])) as Record<Colour, string>,
            ...(http ? { share: perColour(settings.traffic.query), requestRate: perColour(requestRateQuery) } : {}),
            checks: [...checks("trigger", settings.triggers), ...checks("gate", settings.gates)],
        });
    }
    return {
        uid: dashboard.uid,
        title: dashboard.title,
        datasourceUid: dashboard.datasourceUid,
        annotationTags: [...new Set([...grafanaSettings.tags, "promotion"])],
        watches: settings.steps.map(s => s.watch),
        services,
    };
}

/** Production, with promotion.dashboard: the Grafana provider (the team's Grafana, its token a Pulumi secret) and the dashboard. */
export function declareDashboard(config: StackConfig): RolloutDashboard | undefined {
    const dashboard = config.promotion?.dashboard;
    const grafanaSettings = config.promotion?.notifications.grafana;
    if (!dashboard || !grafanaSettings || !config.secrets.grafanaDashboardToken) return undefined;
    const provider = fromConfig(
        "promotion.notifications.grafana.url",
        new grafana.Provider("grafana", { url: grafanaSettings.url, auth: config.secrets.grafanaDashboardToken }),
    );
    return fromConfig(
        "promotion.dashboard",
        new RolloutDashboard(
            "rollout",
            { folder: { uid: dashboard.folderUid, title: dashboard.folderTitle }, dashboard: dashboardSpec(config) },
            { providers: { grafana: provider } },
        ),
    );
}
