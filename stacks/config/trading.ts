import { z } from "zod";
import { ConfigProblem } from "./errors";
import { httpsUrl } from "./primitives";
import { brokerHosts, EnvironmentName, requiredTradingMode, tradingModes } from "../../platform";

export const tradingSchema = z
    .strictObject({
        mode: z
            .enum(tradingModes)
            .describe(
                "`paper` trades against the broker's sandbox (a dry run), `live` sends real orders. Staging must be `paper`, production `live`.",
            ),
        brokerEndpoint: httpsUrl.describe(
            "Broker REST endpoint the services call; its host must match the mode (paper: `paper-api.alpaca.markets`; live: `api.alpaca.markets`).",
        ),
    })
    .describe("How the stack trades: its mode and its broker.");
export type TradingConfig = z.infer<typeof tradingSchema>;

export function tradingRules(key: string, environment: EnvironmentName, trading: TradingConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const required = requiredTradingMode[environment];
    if (trading.mode !== required) {
        problems.push({
            key: `${key}.mode`,
            expected: `"${required}" (the ${environment} stack may only trade in ${required} mode)`,
            found: JSON.stringify(trading.mode),
        });
    }
    const host = new URL(trading.brokerEndpoint).hostname;
    const allowed: readonly string[] = brokerHosts[trading.mode];
    if (!allowed.includes(host)) {
        problems.push({
            key: `${key}.brokerEndpoint`,
            expected: `an endpoint on a ${trading.mode} broker host (${allowed.join(", ")})`,
            found: JSON.stringify(trading.brokerEndpoint),
        });
    }
    return problems;
}
