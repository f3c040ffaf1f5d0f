import { strict as assert } from "assert";
import { PlannedResource } from "../../tools/engine/resource";
import { PlanResult } from "../../tools/plan/planStack";
import { GITHUB_ACTIONS_APP_ID, infrastructureChecks } from "../../platform/delivery";
import { committedPlan } from "../support/committedPlans";

const of = (plan: PlanResult, type: string) => plan.resources.filter(r => r.type === `github:index/${type}`);
const variablesOf = (plan: PlanResult, environment: string) =>
    Object.fromEntries(
        of(plan, "actionsEnvironmentVariable:ActionsEnvironmentVariable")
            .filter(r => r.inputs.environment === environment)
            .map(r => [r.inputs.variableName as string, r.inputs.value as string]),
    );

describe("stack github: this repository's environments and both repositories' rulesets", () => {
    const plans: Record<string, PlanResult> = {};
    before(async () => {
        for (const stack of ["staging", "production"] as const) plans[stack] = await committedPlan(stack);
    });

    it("declares the deploy and drift environments in this repository, each holding its own role and state backend", () => {
        for (const [stack, account] of [
            ["staging", "111122223333"],
            ["production", "444455556666"],
        ] as const) {
            const environments = of(plans[stack], "repositoryEnvironment:RepositoryEnvironment");
            assert.deepEqual(
                environments.map(e => [e.inputs.repository, e.inputs.environment]),
                [
                    ["trading-platform", stack],
                    ["trading-platform", `${stack}-drift`],
                ],
            );
            const deploy = variablesOf(plans[stack], stack);
            assert.equal(deploy.AWS_DEPLOY_ROLE_ARN, `arn:aws:iam::${account}:role/trading-platform-deploy-${stack}`);
            assert.equal(deploy.PULUMI_BACKEND_URL, `s3://trading-platform-state-${account}?region=ap-south-1`);
            assert.equal(deploy.AWS_REGION, "ap-south-1");
            const drift = variablesOf(plans[stack], `${stack}-drift`);
            assert.deepEqual(drift, {
                AWS_REGION: "ap-south-1",
                AWS_DRIFT_ROLE_ARN: `arn:aws:iam::${account}:role/trading-platform-drift-${stack}`,
                PULUMI_BACKEND_URL: deploy.PULUMI_BACKEND_URL,
            });
            // No production identity in staging's environment, and the reverse.
            const other = account === "111122223333" ? "444455556666" : "111122223333";
            assert.ok(!Object.values(variablesOf(plans[stack], stack)).some(v => v.includes(`:${other}:`)), stack);
        }
        assert.equal(
            variablesOf(plans.production, "production").STAGING_PULUMI_BACKEND_URL,
            "s3://trading-platform-state-111122223333?region=ap-south-1",
        );
        assert.equal(variablesOf(plans.staging, "staging").APP_REPOSITORY, "synaptic-platform/synaptic-trading");
        // Production's promotion record outlives the 90-day artifact, beside the release's evidence.
        assert.equal(
            variablesOf(plans.production, "production").PROMOTION_RECORDS_URI,
            "s3://synaptic-trading-release-evidence-444455556666/promotion-records/",
        );
        assert.equal(variablesOf(plans.staging, "staging").PROMOTION_RECORDS_URI, undefined);
    });

    it("lets the drift check deploy nothing but main, without reviewers", () => {
        const drift = of(plans.production, "repositoryEnvironment:RepositoryEnvironment").find(
            e => e.inputs.environment === "production-drift",
        ) as PlannedResource;
        assert.deepEqual(drift.inputs.reviewers, []);
        const refs = of(plans.production, "repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy").filter(
            p => p.inputs.environment === "production-drift",
        );
        assert.deepEqual(
            refs.map(p => [p.inputs.branchPattern, p.inputs.tagPattern]),
            [["main", undefined]],
        );
    });

    it("gives pull requests staging's read-only preview role as repository variables; production gives them nothing", () => {
        const variables = (plan: PlanResult) =>
            Object.fromEntries(of(plan, "actionsVariable:ActionsVariable").map(r => [r.inputs.variableName, r.inputs.value]));
        assert.deepEqual(variables(plans.staging), {
            AWS_REGION: "ap-south-1",
            AWS_PREVIEW_ROLE_ARN: "arn:aws:iam::111122223333:role/trading-platform-preview-staging",
            PULUMI_BACKEND_URL: "s3://trading-platform-state-111122223333?region=ap-south-1",
        });
        assert.deepEqual(variables(plans.production), {});
    });

    it("requires in each repository exactly the checks its own CI reports, this repository's pinned to GitHub Actions", () => {
        const rulesets = of(plans.production, "repositoryRuleset:RepositoryRuleset");
        const checks = (repository: string, name: string) => {
            const ruleset = rulesets.find(r => r.inputs.repository === repository && r.inputs.name === name);
            assert.ok(ruleset, `${repository} ${name}`);
            return (ruleset.inputs.rules as { requiredStatusChecks: { requiredChecks: { context: string; integrationId?: number }[] } })
                .requiredStatusChecks.requiredChecks;
        };
        assert.deepEqual(
            checks("trading-platform", "main"),
            infrastructureChecks.required.map(context => ({ context, integrationId: GITHUB_ACTIONS_APP_ID })),
        );
        assert.ok(checks("synaptic-trading", "main").every(c => c.context.startsWith("ci/") && c.integrationId === undefined));
        assert.ok(checks("synaptic-trading", "release").some(c => c.context === "ci/full-test-suite"));
        // Release tags deploy production from this repository: only its tags are guarded.
        assert.deepEqual(
            rulesets.filter(r => r.inputs.target === "tag").map(r => r.inputs.repository),
            ["trading-platform"],
        );
        assert.deepEqual(of(plans.staging, "repositoryRuleset:RepositoryRuleset"), []);
    });
});
