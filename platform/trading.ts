// The trading-mode settings every trading process reads to know whether its orders are real. The program
// sets them (Docker host, Kubernetes, GitHub environments) and the segregation policies check them, from
// these definitions only.

import { EnvironmentName, environments } from "./environments";

export const tradingModes = ["paper", "live"] as const;
export type TradingMode = (typeof tradingModes)[number];

/** Each mode flag and its value in each mode: these values decide whether an order is real. */
export const tradingFlags = {
    TRADING_MODE: { paper: "paper", live: "live" },
    DRY_RUN: { paper: "true", live: "false" },
    ALPACA_PAPER: { paper: "true", live: "false" },
} as const satisfies Record<string, Record<TradingMode, string>>;
export type TradingFlag = keyof typeof tradingFlags;

/** The variable that carries the broker endpoint; its host must match the mode. */
export const BROKER_ENDPOINT = "BROKER_ENDPOINT";

/** Every variable the program sets from trading-platform:trading; config may not set any of them. */
export const tradingVariableNames: readonly string[] = [...(Object.keys(tradingFlags) as TradingFlag[]), BROKER_ENDPOINT];

/** The flags at the values they take in `mode`, e.g. flagsAt("live") = { TRADING_MODE: "live", DRY_RUN: "false", ... }. */
export function flagsAt(mode: TradingMode): Readonly<Record<TradingFlag, string>> {
    return Object.fromEntries((Object.keys(tradingFlags) as TradingFlag[]).map(flag => [flag, tradingFlags[flag][mode]])) as Record<
        TradingFlag,
        string
    >;
}

/** The flags of `mode` as an operator would set them: "TRADING_MODE=paper, DRY_RUN=true and ALPACA_PAPER=true". */
export function describeFlags(mode: TradingMode): string {
    const settings = Object.entries(flagsAt(mode)).map(([flag, value]) => `${flag}=${value}`);
    return `${settings.slice(0, -1).join(", ")} and ${settings[settings.length - 1]}`;
}

/** Broker hosts by mode: staging must never reach a live host, production never a paper one. */
export const brokerHosts: Readonly<Record<TradingMode, readonly string[]>> = {
    paper: ["paper-api.alpaca.markets"],
    live: ["api.alpaca.markets"],
};

/** Which trading mode each environment must run in. */
export const requiredTradingMode: Readonly<Record<EnvironmentName, TradingMode>> = {
    staging: environments.staging.tradingMode,
    production: environments.production.tradingMode,
};

/** The Docker label that carries a container's trading mode (the host has no other place to read it from). */
export const tradingModeLabel = "io.synaptic.trading-mode";

/** The settings a trading process gets for its mode and endpoint. */
export function tradingModeEnv(trading: { mode: TradingMode; brokerEndpoint: string }): Record<string, string> {
    return { ...flagsAt(trading.mode), [BROKER_ENDPOINT]: trading.brokerEndpoint };
}
