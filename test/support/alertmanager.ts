// A throwaway Alertmanager on a free local port: one receiver that sends nowhere, its own storage
// directory, clustering off. Debian's `prometheus-alertmanager` package provides the binary (.ci/run
// installs it).
import * as fs from "fs";
import * as path from "path";
import { LoopbackServer, startLoopbackServer } from "./loopbackServer";

export type RunningAlertmanager = LoopbackServer;

const BINARY = "/usr/bin/prometheus-alertmanager";
const NOT_INSTALLED = `${BINARY} is not installed: apt-get install -y prometheus-alertmanager (.ci/run installs it)`;
const CONFIG = ["# One receiver with no integrations: alerts and silences are kept, nothing is sent.", "route:", "  receiver: nowhere", "receivers:", "  - name: nowhere", ""].join("\n");

export async function startAlertmanager(): Promise<RunningAlertmanager> {
    try {
        fs.accessSync(BINARY, fs.constants.X_OK);
    } catch {
        throw new Error(NOT_INSTALLED);
    }
    return startLoopbackServer({
        name: "alertmanager",
        binary: BINARY,
        notInstalled: NOT_INSTALLED,
        tempPrefix: "trading-platform-alertmanager-",
        prepare: async (dir, port) => {
            const configFile = path.join(dir, "alertmanager.yml");
            fs.writeFileSync(configFile, CONFIG);
            return [
                `--config.file=${configFile}`,
                `--storage.path=${path.join(dir, "data")}`,
                `--web.listen-address=127.0.0.1:${port}`,
                // Empty: no gossip listener, so no second port and no wait for peers to settle.
                "--cluster.listen-address=",
            ];
        },
    });
}
