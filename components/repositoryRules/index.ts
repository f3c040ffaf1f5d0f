import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

/** A required status check: its context, and the app that must report it (unset: any reporter). */
export interface RequiredCheck {
    context: string;
    integrationId?: number;
}

export interface RepositoryRulesArgs {
    repository: string;
    /** Approvals a pull request into main or release/* needs (a code owner's among them). */
    requiredApprovals: number;
    /** Status checks every protected branch requires: exactly those the repository's own CI reports. */
    requiredChecks: RequiredCheck[];
    /** Checks release/* requires on top. */
    releaseChecks: RequiredCheck[];
    /**
     * Release tag pattern, e.g. `v*`, and the team that alone may create, move or delete such tags: for
     * a repository whose tags deploy (the infrastructure repository's production environment).
     */
    releaseTags?: { pattern: string; managersTeam: string };
}

/**
 * Repository rulesets (GitHub's current branch protection): `main` and `release/*` take reviewed,
 * checked pull requests only; release tags are created by the release managers only, because the
 * production environment deploys from them.
 */
export class RepositoryRules extends pulumi.ComponentResource {
    readonly releaseManagersTeamId?: pulumi.Output<number>;

    constructor(name: string, args: RepositoryRulesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:github:RepositoryRules", name, {}, opts);
        const parent = { parent: this };
        const branchRules = (checks: RequiredCheck[]) => ({
            deletion: true,
            nonFastForward: true,
            pullRequest: {
                requiredApprovingReviewCount: args.requiredApprovals,
                requireCodeOwnerReview: true,
                dismissStaleReviewsOnPush: true,
                requireLastPushApproval: true,
                requiredReviewThreadResolution: true,
            },
            requiredStatusChecks: {
                requiredChecks: checks.map(({ context, integrationId }) =>
                    integrationId === undefined ? { context } : { context, integrationId },
                ),
                strictRequiredStatusChecksPolicy: true,
            },
        });
        const branchRuleset = (rulesetName: string, ref: string, checks: RequiredCheck[]) =>
            new github.RepositoryRuleset(
                `${name}-${rulesetName}`,
                {
                    name: rulesetName,
                    repository: args.repository,
                    target: "branch",
                    enforcement: "active",
                    conditions: { refName: { includes: [ref], excludes: [] } },
                    // Nobody bypasses: admins included.
                    bypassActors: [],
                    rules: branchRules(checks),
                },
                parent,
            );
        branchRuleset("main", "refs/heads/main", args.requiredChecks);
        branchRuleset("release", "refs/heads/release/*", [...args.requiredChecks, ...args.releaseChecks]);

        const releaseTags = args.releaseTags;
        if (!releaseTags) {
            this.registerOutputs({});
            return;
        }
        this.releaseManagersTeamId = github.getTeamOutput({ slug: releaseTags.managersTeam }, parent).id.apply(Number);
        new github.RepositoryRuleset(
            `${name}-release-tags`,
            {
                name: "release-tags",
                repository: args.repository,
                target: "tag",
                enforcement: "active",
                conditions: { refName: { includes: [`refs/tags/${releaseTags.pattern}`], excludes: [] } },
                bypassActors: [{ actorId: this.releaseManagersTeamId, actorType: "Team", bypassMode: "always" }],
                rules: { creation: true, update: true, deletion: true },
            },
            parent,
        );
        this.registerOutputs({ releaseManagersTeamId: this.releaseManagersTeamId });
    }
}
