import * as github from "@pulumi/github";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
    describeGithubEnvironment,
    githubEnvironmentOf,
    GithubEnvironments,
    githubEnvironmentsSchema,
    records,
    releaseTagPatternSchema,
    text,
} from "../lib/github";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

interface GatesConfig extends GithubEnvironments {
    minimumReviewers: number;
    minimumWaitTimer: number;
    releaseTagPattern: string;
}

/** Distinct reviewer teams and users over every reviewers entry. */
function reviewersOf(reviewers: unknown): { teams: number; users: number } {
    const teams = new Set<unknown>();
    const users = new Set<unknown>();
    for (const entry of records<{ teams: unknown; users: unknown }>(reviewers)) {
        if (Array.isArray(entry.teams)) entry.teams.forEach(id => teams.add(id));
        if (Array.isArray(entry.users)) entry.users.forEach(id => users.add(id));
    }
    return { teams: teams.size, users: users.size };
}

export const productionDeploymentGates: ResourceValidationPolicy = {
    name: "production-deployment-gates",
    description:
        "GitHub production environments wait for several reviewers other than the deployer, cannot be bypassed by admins, hold each deployment for a wait timer and deploy only from release tags.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["change-management", "github"] }),
    configSchema: {
        properties: {
            ...githubEnvironmentsSchema,
            minimumReviewers: {
                type: "integer",
                minimum: 1,
                default: 2,
                description: "Reviewer teams and users a production environment lists at least.",
            },
            minimumWaitTimer: {
                type: "integer",
                minimum: 0,
                default: 1,
                description: "Minutes a production deployment waits, once approved, before it runs.",
            },
            releaseTagPattern: releaseTagPatternSchema,
        },
    },
    validateResource: [
        validateResourceOfType(github.RepositoryEnvironment, (environment, args, reportViolation) => {
            const config = args.getConfig<GatesConfig>();
            if (githubEnvironmentOf(environment.environment, config) !== "production") return;
            const who = describeGithubEnvironment(environment.environment, environment.repository);

            const { teams, users } = reviewersOf(environment.reviewers);
            if (teams + users < config.minimumReviewers) {
                reportViolation(
                    `${who} lists ${teams + users} reviewer(s) (${teams} team(s), ${users} user(s)), fewer than ${config.minimumReviewers}. ` +
                        `Fix: list at least ${config.minimumReviewers} reviewer teams or users in reviewers (e.g. product-lead and compliance).`,
                );
            }
            if (environment.preventSelfReview !== true) {
                reportViolation(
                    `${who} has preventSelfReview ${showValue(environment.preventSelfReview)}, so whoever starts a deployment may approve it. Fix: set preventSelfReview: true.`,
                );
            }
            if (environment.canAdminsBypass !== false) {
                const found =
                    environment.canAdminsBypass === undefined
                        ? "unset (the provider's default is true)"
                        : showValue(environment.canAdminsBypass);
                reportViolation(
                    `${who} has canAdminsBypass ${found}, so admins can deploy without review. Fix: set canAdminsBypass: false.`,
                );
            }
            const wait = environment.waitTimer;
            if (typeof wait !== "number" || !(wait >= config.minimumWaitTimer)) {
                const found = typeof wait === "number" ? `${wait} minute(s)` : showValue(wait);
                reportViolation(
                    `${who} has waitTimer ${found}, below the minimum of ${config.minimumWaitTimer} minute(s). Fix: set waitTimer to at least ${config.minimumWaitTimer}.`,
                );
            }
            const policy = environment.deploymentBranchPolicy as
                { protectedBranches?: unknown; customBranchPolicies?: unknown } | undefined;
            if (policy?.protectedBranches !== false || policy?.customBranchPolicies !== true) {
                const found = policy
                    ? `{ protectedBranches: ${showValue(policy.protectedBranches)}, customBranchPolicies: ${showValue(policy.customBranchPolicies)} }`
                    : "unset, so any branch or tag may deploy";
                reportViolation(
                    `${who} has deploymentBranchPolicy ${found}. ` +
                        `Fix: set deploymentBranchPolicy { protectedBranches: false, customBranchPolicies: true } and allow only the release tags ("${config.releaseTagPattern}") to deploy.`,
                );
            }
        }),
        validateResourceOfType(github.RepositoryEnvironmentDeploymentPolicy, (policy, args, reportViolation) => {
            const config = args.getConfig<GatesConfig>();
            if (githubEnvironmentOf(policy.environment, config) !== "production") return;
            const who = describeGithubEnvironment(policy.environment, policy.repository);
            const release = config.releaseTagPattern;
            const branch = text(policy.branchPattern);
            const tag = text(policy.tagPattern);
            if (branch) {
                reportViolation(
                    `${who} allows deployments from the branch pattern "${branch}". Fix: production deploys only from release tags; delete this policy and allow the tag pattern "${release}".`,
                );
            }
            if (tag && tag !== release) {
                reportViolation(
                    `${who} allows deployments from the tag pattern "${tag}", not the release tag pattern "${release}". Fix: set tagPattern: "${release}".`,
                );
            }
            if (!branch && !tag) {
                reportViolation(
                    `${who} has a deployment policy with neither a branch nor a tag pattern. Fix: set tagPattern: "${release}".`,
                );
            }
        }),
    ],
};
