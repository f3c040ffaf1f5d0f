import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { DashboardSpec, rolloutDashboard } from "./dashboard";

export * from "./dashboard";

export interface RolloutDashboardArgs {
    /** The folder the dashboard lives in: its uid and title. */
    folder: { uid: string; title: string };
    /** What the dashboard shows (dashboard.ts builds its JSON). */
    dashboard: DashboardSpec;
}

/**
 * The blue-green rollout dashboard in the team's Grafana (outside the cluster), through the Grafana
 * provider the stack passes: a folder and the dashboard, whose JSON is generated from the promotion's
 * own queries and limits on every update.
 */
export class RolloutDashboard extends pulumi.ComponentResource {
    readonly uid: pulumi.Output<string>;
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: RolloutDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:grafana:RolloutDashboard", name, {}, opts);
        const folder = new grafana.oss.Folder(name, { uid: args.folder.uid, title: args.folder.title }, { parent: this });
        const dashboard = new grafana.oss.Dashboard(
            name,
            {
                folder: folder.uid,
                configJson: JSON.stringify(rolloutDashboard(args.dashboard)),
                // The stack owns the dashboard: a hand edit in Grafana is replaced on the next update.
                overwrite: true,
                message: "declared by the trading-platform stack (components/rolloutDashboard)",
            },
            { parent: this },
        );
        this.uid = dashboard.uid;
        this.url = dashboard.url;
        this.registerOutputs({ uid: this.uid, url: this.url });
    }
}
