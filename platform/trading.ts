/** The settings every trading process reads to know whether its orders are real. */
export function tradingModeEnv(trading: { mode: "paper" | "live"; brokerEndpoint: string }): Record<string, string> {
    const paper = trading.mode === "paper";
    return {
        TRADING_MODE: trading.mode,
        DRY_RUN: String(paper),
        ALPACA_PAPER: String(paper),
        BROKER_ENDPOINT: trading.brokerEndpoint,
    };
}
