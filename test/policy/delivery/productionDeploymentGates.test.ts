import { strict as assert } from "assert";
import { productionDeploymentGates } from "../../../policy/delivery/productionDeploymentGates";
import { deliveryEnvironment, deploymentPolicy, GITHUB, repositoryEnvironment, TEAMS } from "../../support/githubFixtures";
import { evaluateOne, resourceOf, violationsOf } from "../../support/policyHarness";

const PRODUCTION = 'GitHub environment "production" of synaptic-trading';

describe("policy production-deployment-gates", () => {
    it("passes a gated production environment deploying release tags, and a staging environment deploying main", async () => {
        assert.deepEqual(
            await violationsOf(productionDeploymentGates, [...deliveryEnvironment("staging"), ...deliveryEnvironment("production")]),
            [],
        );
    });

    it("fails a production environment with fewer reviewers than the minimum, counting distinct teams and users over every entry", async () => {
        const messages = await violationsOf(productionDeploymentGates, [
            repositoryEnvironment("production", { reviewers: [{ teams: [TEAMS.productLead, TEAMS.productLead] }] }),
        ]);
        assert.deepEqual(messages, [
            `${PRODUCTION} lists 1 reviewer(s) (1 team(s), 0 user(s)), fewer than 2. Fix: list at least 2 reviewer teams or users in reviewers (e.g. product-lead and compliance).`,
        ]);
        const mixed = repositoryEnvironment("production", { reviewers: [{ teams: [TEAMS.productLead] }, { users: [77] }] });
        assert.deepEqual(await violationsOf(productionDeploymentGates, [mixed]), []);
    });

    it("fails a production environment that lets the deployer approve their own deployment", async () => {
        for (const [value, found] of [
            [false, "false"],
            [undefined, "unset"],
        ] as const) {
            const messages = await violationsOf(productionDeploymentGates, [
                repositoryEnvironment("production", { preventSelfReview: value }),
            ]);
            assert.deepEqual(messages, [
                `${PRODUCTION} has preventSelfReview ${found}, so whoever starts a deployment may approve it. Fix: set preventSelfReview: true.`,
            ]);
        }
    });

    it("fails a production environment admins can bypass, unset included (the provider defaults to true)", async () => {
        const [unset, ...rest] = await violationsOf(productionDeploymentGates, [
            repositoryEnvironment("production", { canAdminsBypass: undefined }),
        ]);
        assert.equal(rest.length, 0);
        assert.equal(
            unset,
            `${PRODUCTION} has canAdminsBypass unset (the provider's default is true), so admins can deploy without review. Fix: set canAdminsBypass: false.`,
        );
        const [set] = await violationsOf(productionDeploymentGates, [repositoryEnvironment("production", { canAdminsBypass: true })]);
        assert.match(set, /has canAdminsBypass true, so admins can deploy without review\. Fix: set canAdminsBypass: false\.$/);
    });

    it("fails a production environment whose wait timer is below the minimum", async () => {
        const [zero] = await violationsOf(productionDeploymentGates, [repositoryEnvironment("production", { waitTimer: 0 })]);
        assert.equal(zero, `${PRODUCTION} has waitTimer 0 minute(s), below the minimum of 1 minute(s). Fix: set waitTimer to at least 1.`);
        const [unset] = await violationsOf(productionDeploymentGates, [repositoryEnvironment("production", { waitTimer: undefined })]);
        assert.match(unset, /has waitTimer unset, below the minimum of 1 minute\(s\)\. Fix: /);
    });

    it("fails a production environment that deploys from protected branches or from any ref", async () => {
        const [branches] = await violationsOf(productionDeploymentGates, [
            repositoryEnvironment("production", { deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: false } }),
        ]);
        assert.equal(
            branches,
            `${PRODUCTION} has deploymentBranchPolicy { protectedBranches: true, customBranchPolicies: false }. ` +
                'Fix: set deploymentBranchPolicy { protectedBranches: false, customBranchPolicies: true } and allow only the release tags ("v*") to deploy.',
        );
        const [unset] = await violationsOf(productionDeploymentGates, [
            repositoryEnvironment("production", { deploymentBranchPolicy: undefined }),
        ]);
        assert.match(unset, /has deploymentBranchPolicy unset, so any branch or tag may deploy\. Fix: /);
    });

    it("fails a production deployment policy for a branch", async () => {
        const messages = await violationsOf(productionDeploymentGates, [
            deploymentPolicy("production", { tagPattern: undefined, branchPattern: "main" }),
        ]);
        assert.deepEqual(messages, [
            `${PRODUCTION} allows deployments from the branch pattern "main". Fix: production deploys only from release tags; delete this policy and allow the tag pattern "v*".`,
        ]);
    });

    it("fails a production deployment policy for another tag pattern, or for no ref at all", async () => {
        const [other] = await violationsOf(productionDeploymentGates, [deploymentPolicy("production", { tagPattern: "*" })]);
        assert.equal(
            other,
            `${PRODUCTION} allows deployments from the tag pattern "*", not the release tag pattern "v*". Fix: set tagPattern: "v*".`,
        );
        const [none] = await violationsOf(productionDeploymentGates, [deploymentPolicy("production", { tagPattern: undefined })]);
        assert.equal(none, `${PRODUCTION} has a deployment policy with neither a branch nor a tag pattern. Fix: set tagPattern: "v*".`);
    });

    it("never throws on missing fields: each missing gate is a violation", async () => {
        const resources = [
            resourceOf("production", GITHUB.environment, "bare", { environment: "production" }),
            resourceOf("production", GITHUB.environment, "unnamed", {}),
            resourceOf("production", GITHUB.deploymentPolicy, "bare-policy", {}),
            repositoryEnvironment("production", { reviewers: [null, { teams: null }, "x"] }),
        ];
        const result = await evaluateOne(productionDeploymentGates, resources);
        assert.deepEqual(result.errors, []);
        const messages = result.violations.map(v => v.detail);
        assert.equal(messages.length, 6, messages.join("\n"));
        assert.match(
            messages[0],
            /^GitHub environment "production" lists 0 reviewer\(s\) \(0 team\(s\), 0 user\(s\)\), fewer than 2\. Fix: /,
        );
        assert.match(messages[1], /^GitHub environment "production" has preventSelfReview unset/);
        assert.match(messages[2], /^GitHub environment "production" has canAdminsBypass unset \(the provider's default is true\)/);
        assert.match(messages[3], /^GitHub environment "production" has waitTimer unset/);
        assert.match(messages[4], /^GitHub environment "production" has deploymentBranchPolicy unset/);
        assert.match(messages[5], new RegExp(`^${PRODUCTION} lists 0 reviewer`));
    });

    it("takes its environments, minimums and release tag pattern from policy config", async () => {
        const strict = { "production-deployment-gates": { minimumReviewers: 3, minimumWaitTimer: 30 } };
        const messages = await violationsOf(productionDeploymentGates, [repositoryEnvironment("production")], strict);
        assert.equal(messages.length, 2);
        assert.match(messages[0], /lists 2 reviewer\(s\) \(2 team\(s\), 0 user\(s\)\), fewer than 3\. Fix: list at least 3 /);
        assert.match(
            messages[1],
            /has waitTimer 15 minute\(s\), below the minimum of 30 minute\(s\)\. Fix: set waitTimer to at least 30\./,
        );

        const releases = { "production-deployment-gates": { releaseTagPattern: "release-*" } };
        const [tag] = await violationsOf(productionDeploymentGates, [deploymentPolicy("production")], releases);
        assert.match(
            tag,
            /allows deployments from the tag pattern "v\*", not the release tag pattern "release-\*"\. Fix: set tagPattern: "release-\*"\.$/,
        );
        assert.deepEqual(
            await violationsOf(productionDeploymentGates, [deploymentPolicy("production", { tagPattern: "release-*" })], releases),
            [],
        );

        const weakEu = [
            repositoryEnvironment("prod-eu", { canAdminsBypass: true }),
            repositoryEnvironment("production", { canAdminsBypass: true }),
        ];
        assert.equal(
            (await violationsOf(productionDeploymentGates, weakEu)).length,
            1,
            "prod-eu is not a production environment by default",
        );
        const [eu, ...rest] = await violationsOf(productionDeploymentGates, weakEu, {
            "production-deployment-gates": { productionEnvironments: ["prod-eu"] },
        });
        assert.equal(rest.length, 0);
        assert.match(eu, /^GitHub environment "prod-eu" of synaptic-trading has canAdminsBypass true/);
    });
});
