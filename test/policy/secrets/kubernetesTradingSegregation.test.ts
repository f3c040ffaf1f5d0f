import { strict as assert } from "assert";
import { kubernetesTradingSegregation } from "../../../policy/secrets/kubernetesTradingSegregation";
import { hardenedContainer, hardenedPodSpec, workload } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

/** A Deployment of `stack` with the given env on its container and Vault paths on its pod template. */
function service(stack: string, env: Record<string, string>, vault: Record<string, string> = {}, extraEnv: unknown[] = []) {
    const resource = workload(
        "Deployment",
        hardenedPodSpec({
            containers: [
                hardenedContainer("api", { env: [...Object.entries(env).map(([name, value]) => ({ name, value })), ...extraEnv] }),
            ],
        }),
        stack,
    );
    const template = (resource.inputs.spec as { template: { metadata: Record<string, unknown> } }).template;
    template.metadata.annotations = Object.fromEntries(
        Object.entries(vault).map(([file, path]) => [`vault.hashicorp.com/agent-inject-secret-${file}`, path]),
    );
    return resource;
}

const paper = { TRADING_MODE: "paper", DRY_RUN: "true", ALPACA_PAPER: "true", BROKER_ENDPOINT: "https://paper-api.alpaca.markets" };
const live = { TRADING_MODE: "live", DRY_RUN: "false", ALPACA_PAPER: "false", BROKER_ENDPOINT: "https://api.alpaca.markets" };

describe("policy kubernetes-trading-segregation", () => {
    it("passes paper staging and live production workloads", async () => {
        const ok = [
            service("staging", paper, { alpaca: "secret/data/trading/staging/alpaca-paper" }),
            service("production", live, { alpaca: "secret/data/trading/production/alpaca-live" }),
        ];
        assert.deepEqual(await violationsOf(kubernetesTradingSegregation, ok), []);
    });

    it("fails a staging workload in live mode, naming the flag and the fix", async () => {
        const messages = await violationsOf(kubernetesTradingSegregation, [service("staging", { ...paper, TRADING_MODE: "live" })]);
        assert.deepEqual(messages, [
            'Deployment "api" sets TRADING_MODE=live: live trading in a staging stack. Fix: staging runs with TRADING_MODE=paper, DRY_RUN=true and ALPACA_PAPER=true (trading-platform:trading.mode: paper).',
        ]);
    });

    it("fails staging reading a live or production Vault path, or a live Kubernetes secret", async () => {
        const messages = await violationsOf(kubernetesTradingSegregation, [
            service("staging", paper, { alpaca: "secret/data/trading/production/alpaca-live" }, [
                { name: "ALPACA_API_KEY", valueFrom: { secretKeyRef: { name: "alpaca-live", key: "id" } } },
            ]),
        ]);
        assert.equal(messages.length, 2);
        assert.match(
            messages[0],
            /references the secret "secret\/data\/trading\/production\/alpaca-live", which belongs to live\/production trading\. Fix: /,
        );
        assert.match(messages[1], /references the secret "alpaca-live"/);
    });

    it("fails production pointing at the paper endpoint or a staging/paper secret", async () => {
        const messages = await violationsOf(kubernetesTradingSegregation, [
            service(
                "production",
                { ...live, BROKER_ENDPOINT: "https://paper-api.alpaca.markets/v2" },
                { alpaca: "secret/data/trading/staging/alpaca-paper" },
            ),
        ]);
        assert.equal(messages.length, 2);
        assert.match(
            messages[0],
            /BROKER_ENDPOINT points at the paper endpoint paper-api\.alpaca\.markets\. Fix: production uses the live endpoint/,
        );
        assert.match(
            messages[1],
            /references the secret "secret\/data\/trading\/staging\/alpaca-paper", which belongs to paper\/staging trading/,
        );
    });

    it("checks init containers and secret volumes too", async () => {
        const resource = workload(
            "CronJob",
            hardenedPodSpec({
                initContainers: [hardenedContainer("init-cache", { env: [{ name: "DRY_RUN", value: "false" }] })],
                volumes: [{ name: "keys", secret: { secretName: "broker-live-keys" } }],
            }),
            "staging",
        );
        const messages = await violationsOf(kubernetesTradingSegregation, [resource]);
        assert.equal(messages.length, 2);
        assert.match(messages[0], /^CronJob "api" sets DRY_RUN=false/);
        assert.match(messages[1], /references the secret "broker-live-keys"/);
    });
});
