import { strict as assert } from "assert";
import { githubSecretSegregation } from "../../../policy/secrets/githubSecretSegregation";
import {
    actionsVariable,
    deliveryEnvironment,
    environmentSecret,
    environmentVariable,
    GITHUB,
    LIVE_KEY_ID,
    PAPER_KEY_ID,
} from "../../support/githubFixtures";
import { UNKNOWN } from "../../../tools/runtime/propertyValues";
import { evaluateOne, resourceOf, violationsOf } from "../../support/policyHarness";

describe("policy github-secret-segregation", () => {
    it("passes a paper staging environment, a live production environment and a plain repository variable", async () => {
        const resources = [...deliveryEnvironment("staging"), ...deliveryEnvironment("production"), actionsVariable()];
        assert.deepEqual(await violationsOf(githubSecretSegregation, resources), []);
    });

    it("fails a staging secret named as a live credential", async () => {
        for (const name of ["LIVE_API_KEY", "ALPACA_LIVE_SECRET"]) {
            const messages = await violationsOf(githubSecretSegregation, [environmentSecret("staging", name)]);
            assert.equal(messages.length, 1, name);
            assert.match(
                messages[0],
                new RegExp(
                    `^GitHub environment "staging" of synaptic-trading: secret ${name} names a live credential\\. Fix: staging holds paper/sandbox credentials only; .*\\.$`,
                ),
            );
        }
    });

    it("fails a staging secret holding a live Alpaca key id, without quoting it", async () => {
        const messages = await violationsOf(githubSecretSegregation, [
            environmentSecret("staging", "PAPER_API_KEY", { value: LIVE_KEY_ID }),
        ]);
        assert.equal(messages.length, 1);
        assert.match(
            messages[0],
            /^GitHub environment "staging" of synaptic-trading: secret PAPER_API_KEY holds a value shaped like an Alpaca live key id \(AK…\)\. Fix: .*rotate the live key\.$/,
        );
        assert.ok(!messages[0].includes(LIVE_KEY_ID), "the message quotes the secret");
    });

    it("tells an AWS access key id in an AWS-named staging secret from a live Alpaca key id", async () => {
        const aws = "AKIAZ7QH4LMN2RXWT5UV";
        assert.deepEqual(
            await violationsOf(githubSecretSegregation, [environmentSecret("staging", "AWS_ACCESS_KEY_ID", { value: aws })]),
            [],
        );
        const [message, ...rest] = await violationsOf(githubSecretSegregation, [
            environmentSecret("staging", "BROKER_KEY", { value: aws }),
        ]);
        assert.equal(rest.length, 0);
        assert.match(message, /secret BROKER_KEY holds a value shaped like an Alpaca live key id/);
        assert.ok(!message.includes(aws));
    });

    it("judges a secret's name even when its value is unknown (a plan re-checked without secrets)", async () => {
        const result = await evaluateOne(githubSecretSegregation, [environmentSecret("staging", "LIVE_API_KEY", { value: UNKNOWN })]);
        assert.deepEqual(
            result.violations.map(v => [v.enforcementLevel, v.previewUnknown ?? false]),
            [
                ["mandatory", false],
                ["advisory", true],
            ],
        );
        assert.match(result.violations[0].detail, /secret LIVE_API_KEY names a live credential/);
        assert.match(
            result.violations[1].detail,
            /can't run policy 'github-secret-segregation' .* during preview: string value at \.value can't be known during preview/,
        );
    });

    it("fails a production secret named as a paper or sandbox credential", async () => {
        for (const name of ["PAPER_API_KEY", "ALPACA_SANDBOX_TOKEN"]) {
            const messages = await violationsOf(githubSecretSegregation, [
                environmentSecret("production", name, { value: "not-a-key-shape" }),
            ]);
            assert.equal(messages.length, 1, name);
            assert.match(
                messages[0],
                new RegExp(
                    `^GitHub environment "production" of synaptic-trading: secret ${name} names a paper/sandbox credential\\. Fix: production holds live credentials only; .*\\.$`,
                ),
            );
        }
    });

    it("fails a production secret holding a paper Alpaca key id, without quoting it", async () => {
        const messages = await violationsOf(githubSecretSegregation, [
            environmentSecret("production", "LIVE_API_KEY", { value: PAPER_KEY_ID }),
        ]);
        assert.equal(messages.length, 1);
        assert.match(
            messages[0],
            /^GitHub environment "production" of synaptic-trading: secret LIVE_API_KEY holds a value shaped like an Alpaca paper key id \(PK…\)\. Fix: production trades live; store the live key \(AK…\) instead\.$/,
        );
        assert.ok(!messages[0].includes(PAPER_KEY_ID), "the message quotes the secret");
    });

    it("fails a credential-named environment variable with a value, in any environment, without quoting it", async () => {
        const value = "s3cr3t-value-123";
        for (const environment of ["staging", "production", "qa"]) {
            const messages = await violationsOf(githubSecretSegregation, [
                environmentVariable(environment, "ALPACA_API_SECRET", { value }),
            ]);
            assert.equal(messages.length, 1, environment);
            assert.match(
                messages[0],
                new RegExp(
                    `^GitHub environment "${environment}" of synaptic-trading: variable ALPACA_API_SECRET is named like a credential and carries a plaintext value\\. Fix: store it as an environment secret \\(github\\.ActionsEnvironmentSecret\\) and delete the variable\\.$`,
                ),
            );
            assert.ok(!messages[0].includes(value));
        }
        assert.deepEqual(
            await violationsOf(githubSecretSegregation, [environmentVariable("staging", "API_KEY", { value: "" })]),
            [],
            "an empty value holds nothing",
        );
        assert.deepEqual(
            await violationsOf(githubSecretSegregation, [environmentVariable("staging", "API_KEY_FILE", { value: "/run/secrets/k" })]),
            [],
            "a pointer is no credential",
        );
    });

    it("fails an environment variable whose value has a credential's shape, without quoting it", async () => {
        const token = "ghp_" + "Xk3mP9qL2vR7tY5wZ8nB4cD6fG1hJ0sA2eU4";
        const messages = await violationsOf(githubSecretSegregation, [environmentVariable("production", "UPSTREAM", { value: token })]);
        assert.equal(messages.length, 1);
        assert.match(
            messages[0],
            /^GitHub environment "production" of synaptic-trading: variable UPSTREAM holds a value shaped like a GitHub token in plain text\. Fix: store it as an environment secret/,
        );
        assert.ok(!messages[0].includes(token));
    });

    it("fails a repository-level Actions variable holding a credential, without quoting it", async () => {
        const aws = "AKIAZ7QH4LMN2RXWT5UV";
        const [shape, ...rest] = await violationsOf(githubSecretSegregation, [actionsVariable("AWS_ACCESS_KEY_ID", { value: aws })]);
        assert.equal(rest.length, 0);
        assert.match(
            shape,
            /^Repository-level Actions variable AWS_ACCESS_KEY_ID of synaptic-trading holds a value shaped like an AWS access key id in plain text\. Fix: store it as an environment secret \(github\.ActionsEnvironmentSecret\) of the environment that needs it and delete the variable\.$/,
        );
        assert.ok(!shape.includes(aws));
        const [named] = await violationsOf(githubSecretSegregation, [actionsVariable("DB_PASSWORD", { value: "hunter22" })]);
        assert.match(
            named,
            /^Repository-level Actions variable DB_PASSWORD of synaptic-trading is named like a credential and carries a plaintext value\. Fix: /,
        );
        assert.ok(!named.includes("hunter22"));
    });

    it("fails a staging variable that switches on live trading, whatever the case of its value", async () => {
        const cases: [string, string][] = [
            ["TRADING_MODE", "live"],
            ["DRY_RUN", "false"],
            ["ALPACA_PAPER", "FALSE"],
        ];
        for (const [name, value] of cases) {
            const messages = await violationsOf(githubSecretSegregation, [environmentVariable("staging", name, { value })]);
            assert.equal(messages.length, 1, name);
            assert.equal(
                messages[0],
                `GitHub environment "staging" of synaptic-trading: variable ${name}=${value} switches on live trading in a staging environment. Fix: staging deploys with TRADING_MODE=paper, DRY_RUN=true and ALPACA_PAPER=true.`,
            );
        }
        assert.deepEqual(
            await violationsOf(githubSecretSegregation, [environmentVariable("production", "DRY_RUN", { value: "false" })]),
            [],
            "production trades live",
        );
    });

    it("never throws on missing fields", async () => {
        const bare = [
            resourceOf("staging", GITHUB.environmentSecret, "bare-secret", {}),
            resourceOf("staging", GITHUB.environmentVariable, "bare-variable", {}),
            resourceOf("staging", GITHUB.actionsVariable, "bare-repo-variable", {}),
            environmentSecret("production", "PAPER_API_KEY", { value: undefined, repository: undefined }),
            environmentVariable("staging", "DRY_RUN", { value: undefined }),
        ];
        const result = await evaluateOne(githubSecretSegregation, bare);
        assert.deepEqual(result.errors, []);
        assert.deepEqual(
            result.violations.map(v => v.detail),
            [
                `GitHub environment "production": secret PAPER_API_KEY names a paper/sandbox credential. Fix: production holds live credentials only; store the live key under a live name (e.g. LIVE_API_KEY) and delete this secret.`,
            ],
        );
    });

    it("takes its staging and production environments from policy config", async () => {
        const qa = environmentVariable("qa", "DRY_RUN", { value: "false" });
        const euPaper = environmentSecret("prod-eu", "PAPER_API_KEY");
        assert.deepEqual(await violationsOf(githubSecretSegregation, [qa, euPaper]), [], "unlisted environments are not told apart");
        const messages = await violationsOf(githubSecretSegregation, [qa, euPaper], {
            "github-secret-segregation": { stagingEnvironments: ["staging", "qa"], productionEnvironments: ["production", "prod-eu"] },
        });
        assert.equal(messages.length, 2);
        assert.match(messages[0], /^GitHub environment "qa" of synaptic-trading: variable DRY_RUN=false switches on live trading/);
        assert.match(
            messages[1],
            /^GitHub environment "prod-eu" of synaptic-trading: secret PAPER_API_KEY names a paper\/sandbox credential/,
        );
    });
});
