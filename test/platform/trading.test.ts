import { strict as assert } from "assert";
import {
    brokerHosts,
    describeFlags,
    flagsAt,
    requiredTradingMode,
    tradingFlags,
    tradingModeEnv,
    tradingVariableNames,
} from "../../platform/trading";

describe("platform/trading: the trading-mode facts", () => {
    it("sets every flag to its paper or live value, and the endpoint beside them", () => {
        assert.deepEqual(tradingModeEnv({ mode: "paper", brokerEndpoint: "https://paper-api.alpaca.markets" }), {
            TRADING_MODE: "paper",
            DRY_RUN: "true",
            ALPACA_PAPER: "true",
            BROKER_ENDPOINT: "https://paper-api.alpaca.markets",
        });
        assert.deepEqual(flagsAt("live"), { TRADING_MODE: "live", DRY_RUN: "false", ALPACA_PAPER: "false" });
    });

    it("gives no flag the same value in both modes, so a flag alone always tells paper from live", () => {
        for (const [flag, values] of Object.entries(tradingFlags)) assert.notEqual(values.paper, values.live, flag);
    });

    it("lists every variable the program sets, so config can refuse them all", () => {
        assert.deepEqual([...tradingVariableNames].sort(), ["ALPACA_PAPER", "BROKER_ENDPOINT", "DRY_RUN", "TRADING_MODE"]);
    });

    it("keeps paper and live broker hosts apart, and staging on paper, production live", () => {
        assert.ok(brokerHosts.paper.every(host => !brokerHosts.live.includes(host)));
        assert.deepEqual(requiredTradingMode, { staging: "paper", production: "live" });
        assert.equal(describeFlags("paper"), "TRADING_MODE=paper, DRY_RUN=true and ALPACA_PAPER=true");
    });
});
