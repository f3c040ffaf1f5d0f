import { strict as assert } from "assert";
import { githubOidcRoleTrust, oidcTrustProblems, pinnedRepository } from "../../../policy/identity/githubOidcRoleTrust";
import { resourceOf, violationsOf } from "../../support/policyHarness";

const PROVIDER = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
const trust = (condition: unknown, principal: unknown = { Federated: PROVIDER }) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition }],
    });
const role = (assumeRolePolicy: unknown) => resourceOf("staging", "aws:iam/role:Role", "deploy-staging", { assumeRolePolicy });
const pinned = {
    StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:synaptic-platform/synaptic-trading:environment:staging",
    },
};

describe("policy github-oidc-role-trust", () => {
    it("passes a role pinned to one repository's environment and the STS audience, as a string or an object", async () => {
        const prRole = {
            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
            StringLike: { "token.actions.githubusercontent.com:sub": "repo:synaptic-platform/synaptic-trading:pull_request" },
        };
        assert.deepEqual(await violationsOf(githubOidcRoleTrust, [role(trust(pinned)), role(JSON.parse(trust(prRole)))]), []);
    });

    it("does not judge a role that trusts another provider or a service", async () => {
        const service = JSON.stringify({
            Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        const eks = trust(
            { StringEquals: { "oidc.eks.ap-south-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:kube-system:x" } },
            { Federated: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.ap-south-1.amazonaws.com/id/ABC" },
        );
        assert.deepEqual(await violationsOf(githubOidcRoleTrust, [role(service), role(eks)]), []);
    });

    it("fails a role with no subject condition: any repository on GitHub could assume it", async () => {
        const [message] = await violationsOf(githubOidcRoleTrust, [
            role(trust({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } })),
        ]);
        assert.match(
            message,
            /^IAM role "deploy-staging": its trust policy Statement\[0\] trusts token\.actions\.githubusercontent\.com with no StringEquals\/StringLike on token\.actions\.githubusercontent\.com:sub, so any workflow of any repository on GitHub may assume it\. Fix: build the trust policy/,
        );
    });

    it("fails a wildcard owner or repository, several repositories, a repository outside the allowed ones, and a loose audience", () => {
        const config = { allowedRepositories: [] };
        const like = (sub: unknown) => ({
            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
            StringLike: { "token.actions.githubusercontent.com:sub": sub },
        });
        assert.match(oidcTrustProblems(trust(like("repo:synaptic-platform/*")), config).join(), /names no single repository/);
        assert.match(
            oidcTrustProblems(trust(like("repo:*/synaptic-trading:ref:refs/heads/main")), config).join(),
            /names no single repository/,
        );
        assert.match(oidcTrustProblems(trust(like("*")), config).join(), /names no single repository/);
        assert.match(
            oidcTrustProblems(trust(like(["repo:a/one:environment:staging", "repo:a/two:environment:staging"])), config).join(),
            /trusts 2 repositories/,
        );
        assert.match(
            oidcTrustProblems(trust(pinned), { allowedRepositories: ["synaptic-platform/other"] }).join(),
            /not one of allowedRepositories/,
        );
        assert.match(
            oidcTrustProblems(
                trust({ StringEquals: { "token.actions.githubusercontent.com:sub": "repo:o/r:environment:staging" } }),
                config,
            ).join(),
            /does not pin token\.actions\.githubusercontent\.com:aud to sts\.amazonaws\.com/,
        );
        assert.match(
            oidcTrustProblems(
                trust({
                    StringLike: {
                        "token.actions.githubusercontent.com:aud": "*",
                        "token.actions.githubusercontent.com:sub": "repo:o/r:environment:staging",
                    },
                }),
                config,
            ).join(),
            /does not pin .*:aud/,
        );
        // A negated operator pins nothing.
        assert.match(
            oidcTrustProblems(
                trust({ StringNotEquals: { "token.actions.githubusercontent.com:sub": "repo:evil/x:ref:refs/heads/main" } }),
                config,
            ).join(),
            /with no StringEquals\/StringLike/,
        );
    });

    it("reads the repository a subject pins", () => {
        assert.equal(
            pinnedRepository("repo:Synaptic-Platform/synaptic-trading:environment:production"),
            "synaptic-platform/synaptic-trading",
        );
        assert.equal(pinnedRepository("repo:o/r:*"), "o/r");
        assert.equal(pinnedRepository("repo:o/r*:environment:x"), undefined);
        assert.equal(pinnedRepository("repository_owner:o"), undefined);
    });
});
