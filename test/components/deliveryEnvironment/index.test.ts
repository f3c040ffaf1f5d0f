import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { DeliveryEnvironment, DeliveryEnvironmentArgs, refSuffix } from "../../../components/deliveryEnvironment";
import { runProgram } from "../../../tools/runtime/program";
import { stableNumber } from "../../../tools/runtime/offlineMocks";
import { PlannedResource } from "../../../tools/engine/resource";

const SENTINEL = "PKSENTINEL0000000001";

async function declare(program: () => void, stack = "production"): Promise<PlannedResource[]> {
    const run = await runProgram({ project: "trading-platform", stack, config: {}, secretKeys: [], program });
    if (run.error) throw run.error;
    return run.resources;
}
const byType = (rs: PlannedResource[], type: string) => rs.filter(r => r.type === `github:index/${type}`);

const environmentArgs = (overrides: Partial<DeliveryEnvironmentArgs> = {}): DeliveryEnvironmentArgs => ({
    repository: "synaptic-trading",
    environment: "production",
    reviewerTeams: ["product-lead", "compliance"],
    waitTimerMinutes: 15,
    preventSelfReview: true,
    canAdminsBypass: false,
    deploymentBranches: [],
    deploymentTags: ["v*"],
    secrets: { LIVE_API_KEY: pulumi.secret(SENTINEL) },
    variables: { TRADING_MODE: "live", DRY_RUN: "false" },
    ...overrides,
});

describe("component DeliveryEnvironment", () => {
    it("declares the environment with its protection rules and team reviewers resolved to numeric ids", async () => {
        const resources = await declare(() => new DeliveryEnvironment("production", environmentArgs()));
        const [environment] = byType(resources, "repositoryEnvironment:RepositoryEnvironment");
        assert.deepEqual(environment.inputs, {
            repository: "synaptic-trading",
            environment: "production",
            waitTimer: 15,
            preventSelfReview: true,
            canAdminsBypass: false,
            reviewers: [{ teams: [stableNumber("team:product-lead"), stableNumber("team:compliance")] }],
            deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
        });
    });

    it("allows exactly the configured branches and tags to deploy", async () => {
        const resources = await declare(
            () =>
                new DeliveryEnvironment(
                    "staging",
                    environmentArgs({ environment: "staging", deploymentBranches: ["develop", "main"], deploymentTags: [] }),
                ),
            "staging",
        );
        assert.deepEqual(
            byType(resources, "repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy").map(r => [
                r.name,
                r.inputs.branchPattern,
                r.inputs.tagPattern,
            ]),
            [
                ["staging-branch-develop", "develop", undefined],
                ["staging-branch-main", "main", undefined],
            ],
        );
        assert.equal(refSuffix("v*"), "v-2a");
        assert.equal(refSuffix("release/*"), "release-2f-2a");
    });

    it("keeps environment secrets Pulumi secrets and variables plain", async () => {
        const resources = await declare(() => new DeliveryEnvironment("production", environmentArgs()));
        const [secret] = byType(resources, "actionsEnvironmentSecret:ActionsEnvironmentSecret");
        assert.equal(secret.inputs.secretName, "LIVE_API_KEY");
        assert.deepEqual(secret.secretPaths, ["value"]);
        const variables = byType(resources, "actionsEnvironmentVariable:ActionsEnvironmentVariable");
        assert.deepEqual(variables.map(v => [v.inputs.variableName, v.inputs.value]).sort(), [
            ["DRY_RUN", "false"],
            ["TRADING_MODE", "live"],
        ]);
        assert.ok(variables.every(v => v.secretPaths.length === 0 && !JSON.stringify(v.inputs).includes(SENTINEL)));
    });
});
