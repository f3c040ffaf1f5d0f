import { strict as assert } from "assert";
import { githubStagingPaperVariables } from "../../../policy/secrets/githubStagingPaperVariables";
import { deliveryEnvironment, environmentVariable, GITHUB, repositoryEnvironment, withProps } from "../../support/githubFixtures";
import { evaluateOne, resourceOf, urnOf, violationsOf } from "../../support/policyHarness";
import { EvaluatedResource } from "../../../tools/engine/resource";

const isVariable = (name: string) => (r: EvaluatedResource) => r.type === GITHUB.environmentVariable && r.inputs.variableName === name;
const stagingUrn = urnOf("staging", GITHUB.environment, "staging");

describe("policy github-staging-paper-variables", () => {
    it("passes a staging environment declaring its paper variables and a production environment declaring live ones", async () => {
        assert.deepEqual(
            await violationsOf(githubStagingPaperVariables, [...deliveryEnvironment("staging"), ...deliveryEnvironment("production")]),
            [],
        );
    });

    it("fails a staging environment with no DRY_RUN variable, against the environment", async () => {
        const resources = deliveryEnvironment("staging").filter(r => !isVariable("DRY_RUN")(r));
        const result = await evaluateOne(githubStagingPaperVariables, resources);
        assert.deepEqual(result.errors, []);
        assert.equal(result.violations.length, 1);
        assert.equal(
            result.violations[0].detail,
            'GitHub environment "staging" of synaptic-trading declares no DRY_RUN variable, so nothing pins its deployments to paper trading. Fix: declare an ActionsEnvironmentVariable DRY_RUN=true for this environment.',
        );
        assert.equal(result.violations[0].urn, stagingUrn);
    });

    it("fails a staging environment whose ALPACA_PAPER is not true, against the environment", async () => {
        const resources = deliveryEnvironment("staging").map(r =>
            isVariable("ALPACA_PAPER")(r) ? withProps(r, p => (p.value = "false")) : r,
        );
        const result = await evaluateOne(githubStagingPaperVariables, resources);
        assert.equal(result.violations.length, 1);
        assert.equal(
            result.violations[0].detail,
            'GitHub environment "staging" of synaptic-trading sets ALPACA_PAPER to "false", not true. Fix: set the variable ALPACA_PAPER=true.',
        );
        assert.equal(result.violations[0].urn, stagingUrn);
    });

    it("compares values case-insensitively", async () => {
        const resources = deliveryEnvironment("staging").map(r =>
            r.type === GITHUB.environmentVariable ? withProps(r, p => (p.value = String(p.value).toUpperCase())) : r,
        );
        assert.deepEqual(await violationsOf(githubStagingPaperVariables, resources), []);
    });

    it("counts only the variables of the same repository and environment, one violation per missing variable", async () => {
        const elsewhere = [
            environmentVariable("staging", "DRY_RUN", { repository: "other-repository" }),
            environmentVariable("production", "ALPACA_PAPER", { value: "true" }),
        ];
        const messages = await violationsOf(githubStagingPaperVariables, [repositoryEnvironment("staging"), ...elsewhere]);
        assert.equal(messages.length, 2);
        assert.match(messages[0], /^GitHub environment "staging" of synaptic-trading declares no DRY_RUN variable/);
        assert.match(messages[1], /^GitHub environment "staging" of synaptic-trading declares no ALPACA_PAPER variable/);
    });

    it("never throws on missing fields", async () => {
        const resources = [
            resourceOf("staging", GITHUB.environment, "bare", {}),
            repositoryEnvironment("staging", { repository: undefined }),
            resourceOf("staging", GITHUB.environmentVariable, "bare-variable", { environment: "staging" }),
            environmentVariable("staging", "DRY_RUN", { repository: undefined, value: undefined }),
        ];
        const result = await evaluateOne(githubStagingPaperVariables, resources);
        assert.deepEqual(result.errors, []);
        assert.deepEqual(
            result.violations.map(v => v.detail),
            [
                'GitHub environment "staging" declares DRY_RUN with no value, not true. Fix: set the variable DRY_RUN=true.',
                'GitHub environment "staging" declares no ALPACA_PAPER variable, so nothing pins its deployments to paper trading. Fix: declare an ActionsEnvironmentVariable ALPACA_PAPER=true for this environment.',
            ],
        );
    });

    it("takes its staging environments from policy config", async () => {
        const qa = [repositoryEnvironment("qa")];
        assert.deepEqual(await violationsOf(githubStagingPaperVariables, qa), [], "an unlisted environment is not judged");
        const messages = await violationsOf(githubStagingPaperVariables, qa, {
            "github-staging-paper-variables": { stagingEnvironments: ["staging", "qa"] },
        });
        assert.equal(messages.length, 2);
        assert.ok(
            messages.every(m => m.startsWith('GitHub environment "qa" of synaptic-trading declares no ')),
            messages.join("\n"),
        );
    });
});
