// A throwaway Alertmanager on a free local port: one receiver that sends nowhere, its own storage
// directory, clustering off. Debian's `prometheus-alertmanager` package provides the binary
// (debianServers.ts brings it).
import * as fs from "fs";
import * as path from "path";
import { serverBinary } from "./debianServers";
import { LoopbackServer, startLoopbackServer } from "./loopbackServer";

export type RunningAlertmanager = LoopbackServer;

const NOT_INSTALLED =
    "prometheus-alertmanager is not installed: npm test fetches Debian's package before the tests (test/support/debianServers.ts)";
const CONFIG = [
    "# One receiver with no integrations: alerts and silences are kept, nothing is sent.",
    "route:",
    "  receiver: nowhere",
    "receivers:",
    "  - name: nowhere",
    "",
].join("\n");

export async function startAlertmanager(): Promise<RunningAlertmanager> {
    const binary = serverBinary("prometheus-alertmanager");
    if (!binary) throw new Error(NOT_INSTALLED);
    return startLoopbackServer({
        name: "alertmanager",
        binary,
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
