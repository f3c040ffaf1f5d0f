import { strict as assert } from "assert";
import { INLINE_POLICY_LIMIT } from "../../components/ciIdentities";
import { PlanResult } from "../../tools/plan/planStack";
import { committedPlan } from "../support/committedPlans";

describe("stack ci: the committed stacks' CI identities", () => {
    const plans: Record<string, PlanResult> = {};
    before(async () => {
        for (const stack of ["staging", "production"] as const) plans[stack] = await committedPlan(stack);
    });
    const roles = (stack: string) => plans[stack].resources.filter(r => r.type === "aws:iam/role:Role" && r.urn.includes("CiIdentities"));
    const trusted = (stack: string) =>
        Object.fromEntries(
            roles(stack).map(r => [
                r.inputs.name,
                JSON.parse(r.inputs.assumeRolePolicy as string).Statement[0].Condition.StringEquals[
                    "token.actions.githubusercontent.com:sub"
                ],
            ]),
        );

    it("trusts in each account only this repository's jobs of that environment, its drift check, and (staging) its pull requests", () => {
        assert.deepEqual(trusted("staging"), {
            "trading-platform-deploy-staging": "repo:synaptic-platform/trading-platform:environment:staging",
            "trading-platform-drift-staging": "repo:synaptic-platform/trading-platform:environment:staging-drift",
            "trading-platform-preview-staging": "repo:synaptic-platform/trading-platform:pull_request",
        });
        assert.deepEqual(trusted("production"), {
            "trading-platform-deploy-production": "repo:synaptic-platform/trading-platform:environment:production",
            "trading-platform-drift-production": "repo:synaptic-platform/trading-platform:environment:production-drift",
        });
        for (const r of [...roles("staging"), ...roles("production")]) {
            const account =
                r.inputs.name === undefined ? "" : String(r.inputs.name).endsWith("production") ? "444455556666" : "111122223333";
            assert.match(
                JSON.parse(r.inputs.assumeRolePolicy as string).Statement[0].Principal.Federated,
                new RegExp(`^arn:aws:iam::${account}:oidc-provider/`),
            );
        }
    });

    it("lets production's deploy role outlive the promotion job, and outputs where the state's secrets provider moves to", () => {
        const deploy = roles("production").find(r => r.inputs.name === "trading-platform-deploy-production");
        assert.equal(deploy?.inputs.maxSessionDuration, 10800);
        assert.deepEqual(plans.production.document.outputs.ciIdentities, {
            deployRoleArn: "arn:aws:iam::444455556666:role/trading-platform-deploy-production",
            driftRoleArn: "arn:aws:iam::444455556666:role/trading-platform-drift-production",
            stateSecretsProvider: "awskms://alias/trading-platform-state-production?region=ap-south-1",
        });
    });

    it("grants production's deploy role read of staging's state (the gate) and no write outside its own", () => {
        const state = plans.production.resources.find(r => r.urn.endsWith("::ci-deploy-state"));
        const statements = JSON.parse(state?.inputs.policy as string).Statement as {
            Sid: string;
            Action: string[];
            Resource: string | string[];
        }[];
        const writes = statements.filter(s => s.Action.some(a => /Put|Delete/.test(a)));
        assert.ok(writes.flatMap(s => [s.Resource].flat()).every(r => r.startsWith("arn:aws:s3:::trading-platform-state-444455556666/")));
        assert.ok(
            statements.some(s =>
                [s.Resource]
                    .flat()
                    .some(r =>
                        r.startsWith("arn:aws:s3:::trading-platform-state-111122223333/.pulumi/stacks/trading-platform/staging.json"),
                    ),
            ),
        );
    });

    it("keeps every inline CI policy of both stacks under IAM's size limit", () => {
        for (const stack of ["staging", "production"]) {
            const policies = plans[stack].resources.filter(
                r => r.type === "aws:iam/rolePolicy:RolePolicy" && r.urn.includes("CiIdentities"),
            );
            assert.ok(policies.length >= 4, stack);
            for (const p of policies) assert.ok(String(p.inputs.policy).replace(/\s/g, "").length < INLINE_POLICY_LIMIT, p.urn);
        }
    });
});
