import { strict as assert } from "assert";
import {
    driftEnvironmentOf,
    environmentSubject,
    GITHUB_OIDC_AUDIENCE,
    GITHUB_OIDC_HOST,
    GITHUB_OIDC_ISSUER_URL,
    infrastructureChecks,
    pullRequestSubject,
} from "../../platform/delivery";

describe("platform/delivery: CI facts", () => {
    it("names GitHub's OIDC issuer as AWS keys its conditions, with the audience configure-aws-credentials asks for", () => {
        assert.equal(GITHUB_OIDC_ISSUER_URL, "https://token.actions.githubusercontent.com");
        assert.equal(GITHUB_OIDC_HOST, "token.actions.githubusercontent.com");
        assert.equal(GITHUB_OIDC_AUDIENCE, "sts.amazonaws.com");
    });

    it("builds the exact subjects GitHub puts in a job's token: an environment's, a pull request's", () => {
        assert.equal(
            environmentSubject("synaptic-platform", "trading-platform", "production"),
            "repo:synaptic-platform/trading-platform:environment:production",
        );
        assert.equal(pullRequestSubject("synaptic-platform", "trading-platform"), "repo:synaptic-platform/trading-platform:pull_request");
        // No wildcard ever: a subject pins one repository and one context.
        for (const subject of [environmentSubject("o", "r", "staging"), pullRequestSubject("o", "r")]) assert.doesNotMatch(subject, /[*?]/);
    });

    it("lists distinct, non-empty check names and a drift environment per stack", () => {
        assert.ok(infrastructureChecks.required.length > 0);
        const all = [...infrastructureChecks.required, ...infrastructureChecks.release];
        assert.equal(new Set(all).size, all.length);
        assert.equal(driftEnvironmentOf("staging"), "staging-drift");
        assert.notEqual(driftEnvironmentOf("production"), "production");
    });
});
