import { strict as assert } from "assert";
import { dockerHostTradingSegregation } from "../../../policy/secrets/dockerHostTradingSegregation";
import { dockerContainer } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

describe("policy docker-host-trading-segregation", () => {
    it("passes a paper staging container and a live production container", async () => {
        assert.deepEqual(await violationsOf(dockerHostTradingSegregation, [dockerContainer("staging"), dockerContainer("production")]), []);
    });

    it("fails staging in live mode", async () => {
        const envs = ["TRADING_MODE=live", "DRY_RUN=false", "ALPACA_PAPER=true", "BROKER_ENDPOINT=https://paper-api.alpaca.markets"];
        const messages = await violationsOf(dockerHostTradingSegregation, [dockerContainer("staging", { envs })]);
        assert.equal(messages.length, 2);
        assert.match(messages[0], /sets TRADING_MODE=live: live trading in a staging stack\. Fix: staging runs with TRADING_MODE=paper/);
        assert.match(messages[1], /sets DRY_RUN=false/);
    });

    it("fails staging pointing at the live endpoint or holding a live credential", async () => {
        const envs = [
            "TRADING_MODE=paper",
            "BROKER_ENDPOINT=https://api.alpaca.markets/v2",
            "ALPACA_LIVE_KEY_FILE=/run/secrets/alpaca-live-key",
        ];
        const messages = await violationsOf(dockerHostTradingSegregation, [dockerContainer("staging", { envs })]);
        assert.equal(messages.length, 2);
        assert.match(
            messages[0],
            /BROKER_ENDPOINT points at the live endpoint api\.alpaca\.markets\. Fix: use a paper endpoint \(paper-api\.alpaca\.markets\)/,
        );
        assert.match(messages[1], /ALPACA_LIVE_KEY_FILE references a live credential/);
    });

    it("fails a staging container labelled live", async () => {
        const [message] = await violationsOf(dockerHostTradingSegregation, [
            dockerContainer("staging", { labels: [{ label: "io.synaptic.trading-mode", value: "live" }] }),
        ]);
        assert.match(message, /labelled trading-mode=live/);
    });

    it("fails production pointing at a paper endpoint or holding a paper credential", async () => {
        const envs = ["TRADING_MODE=live", "BROKER_ENDPOINT=https://paper-api.alpaca.markets", "ALPACA_PAPER_SECRET_FILE=/run/secrets/x"];
        const messages = await violationsOf(dockerHostTradingSegregation, [dockerContainer("production", { envs })]);
        assert.equal(messages.length, 2);
        assert.match(messages[0], /points at the paper endpoint paper-api\.alpaca\.markets\. Fix: production uses the live endpoint/);
        assert.match(messages[1], /ALPACA_PAPER_SECRET_FILE references a paper\/sandbox credential/);
    });

    it("takes its stacks and hosts from policy config (schema defaults otherwise)", async () => {
        const container = dockerContainer("qa", { envs: ["TRADING_MODE=live"] });
        assert.deepEqual(await violationsOf(dockerHostTradingSegregation, [container]), [], "an unlisted stack is not judged");
        const messages = await violationsOf(dockerHostTradingSegregation, [container], {
            "docker-host-trading-segregation": { stagingStacks: ["qa"] },
        });
        assert.equal(messages.length, 1);
    });
});

describe("policy docker-host-trading-segregation: mounted secrets", () => {
    it("fails a staging container that mounts production's Vault directory", async () => {
        const container = dockerContainer("staging", {
            volumes: [{ hostPath: "/srv/vault/rendered/synaptic-prod/rest-adapter", containerPath: "/run/secrets", readOnly: true }],
        });
        const [message] = await violationsOf(dockerHostTradingSegregation, [container]);
        assert.match(
            message,
            /references the secret "\/srv\/vault\/rendered\/synaptic-prod\/rest-adapter", which belongs to live\/production trading/,
        );
    });
});

describe("policy docker-host-trading-segregation: command lines", () => {
    it("fails a staging container whose command points at the live host, with or without a scheme", async () => {
        for (const command of [
            ["trader", "--endpoint=api.alpaca.markets"],
            ["trader", "--endpoint", "https://api.alpaca.markets/v2"],
        ]) {
            const messages = await violationsOf(dockerHostTradingSegregation, [dockerContainer("staging", { command })]);
            assert.equal(messages.length, 1, messages.join("\n"));
            assert.match(messages[0], /endpoint points at the live endpoint api\.alpaca\.markets\. Fix: use a paper endpoint/);
        }
        assert.deepEqual(
            await violationsOf(dockerHostTradingSegregation, [
                dockerContainer("staging", { command: ["trader", "--endpoint=paper-api.alpaca.markets"] }),
            ]),
            [],
        );
    });
});
