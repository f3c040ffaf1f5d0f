import { strict as assert } from "assert";
import { RepositoryRules } from "../../../components/repositoryRules";
import { PlannedResource } from "../../../tools/engine/resource";
import { stableNumber } from "../../../tools/runtime/offlineMocks";
import { runProgram } from "../../../tools/runtime/program";

async function declare(program: () => void, stack = "production"): Promise<PlannedResource[]> {
    const run = await runProgram({ project: "trading-platform", stack, config: {}, secretKeys: [], program });
    if (run.error) throw run.error;
    return run.resources;
}
const byType = (rs: PlannedResource[], type: string) => rs.filter(r => r.type === `github:index/${type}`);

describe("component RepositoryRules", () => {
    let resources: PlannedResource[];
    before(async () => {
        resources = await declare(
            () =>
                new RepositoryRules("synaptic-trading", {
                    repository: "synaptic-trading",
                    requiredApprovals: 2,
                    requiredChecks: [{ context: "ci/lint" }, { context: "Tests and offline plans", integrationId: 15368 }],
                    releaseChecks: [{ context: "ci/full-test-suite" }],
                    releaseTags: { pattern: "v*", managersTeam: "release-managers" },
                }),
        );
    });
    const ruleset = (name: string) => {
        const found = byType(resources, "repositoryRuleset:RepositoryRuleset").find(r => r.inputs.name === name);
        assert.ok(found, `no ruleset ${name}`);
        return found.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };

    it("protects main with reviewed, checked pull requests, no force push, no deletion and no bypass", () => {
        const main = ruleset("main");
        assert.deepEqual([main.target, main.enforcement, main.conditions.refName.includes], ["branch", "active", ["refs/heads/main"]]);
        assert.deepEqual(main.rules.pullRequest, {
            requiredApprovingReviewCount: 2,
            requireCodeOwnerReview: true,
            dismissStaleReviewsOnPush: true,
            requireLastPushApproval: true,
            requiredReviewThreadResolution: true,
        });
        // A check pinned to an app keeps its integration id; one without stays unpinned.
        assert.deepEqual(main.rules.requiredStatusChecks.requiredChecks, [
            { context: "ci/lint" },
            { context: "Tests and offline plans", integrationId: 15368 },
        ]);
        assert.equal(main.rules.nonFastForward, true);
        assert.equal(main.rules.deletion, true);
        assert.deepEqual(main.bypassActors, []);
    });

    it("adds the release checks for release/*", () => {
        const release = ruleset("release");
        assert.deepEqual(release.conditions.refName.includes, ["refs/heads/release/*"]);
        assert.deepEqual(
            release.rules.requiredStatusChecks.requiredChecks.map((c: { context: string }) => c.context),
            ["ci/lint", "Tests and offline plans", "ci/full-test-suite"],
        );
    });

    it("lets only the release managers create, move or delete release tags", () => {
        const tags = ruleset("release-tags");
        assert.deepEqual([tags.target, tags.enforcement, tags.conditions.refName.includes], ["tag", "active", ["refs/tags/v*"]]);
        assert.deepEqual(tags.rules, { creation: true, update: true, deletion: true });
        assert.deepEqual(tags.bypassActors, [{ actorId: stableNumber("team:release-managers"), actorType: "Team", bypassMode: "always" }]);
    });

    it("declares no tag ruleset for a repository whose tags deploy nothing", async () => {
        const app = await declare(
            () =>
                new RepositoryRules("synaptic-trading", {
                    repository: "synaptic-trading",
                    requiredApprovals: 2,
                    requiredChecks: [{ context: "ci/lint" }],
                    releaseChecks: [],
                }),
        );
        assert.deepEqual(
            byType(app, "repositoryRuleset:RepositoryRuleset").map(r => r.inputs.name),
            ["main", "release"],
        );
    });
});
