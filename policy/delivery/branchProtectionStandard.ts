import * as github from "@pulumi/github";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { classicBranchOf, describeRuleset, ProtectedBranch, records, rulesetBranchesOf, RulesetProps, strings, text } from "../lib/github";
import { showValue } from "../lib/report";
import { infrastructureChecks } from "../platform/delivery";
import { withMetadata } from "../lib/metadata";

interface BranchStandardConfig {
    requiredChecks: string[];
    releaseChecks: string[];
    minimumApprovals: number;
    infrastructureRepositories: string[];
}

/**
 * The status checks a rule of `repository` covering `branches` requires: every branch's, plus the release
 * checks for release/*. The infrastructure repository's are the jobs its own workflows run
 * (platform/delivery.ts); any other repository's are the application CI's of the config.
 */
function checksFor(branches: Set<ProtectedBranch>, config: BranchStandardConfig, repository: unknown): string[] {
    const checks =
        typeof repository === "string" && config.infrastructureRepositories.includes(repository)
            ? infrastructureChecks
            : { required: config.requiredChecks, release: config.releaseChecks };
    return [...checks.required, ...(branches.has("release") ? checks.release : [])];
}

/** The pull-request requirements every rule covering main or release/* sets; `field` names each in the resource. */
function pullRequestProblems(
    settings: Record<string, unknown>,
    fields: { approvals: string; flags: Record<string, string> },
    minimumApprovals: number,
    path: string,
): string[] {
    const problems: string[] = [];
    const approvals = settings[fields.approvals];
    if (typeof approvals !== "number" || !(approvals >= minimumApprovals)) {
        problems.push(
            `requires ${showValue(approvals)} approving review(s) (${path}.${fields.approvals}), fewer than ${minimumApprovals}. Fix: set ${fields.approvals} to at least ${minimumApprovals}.`,
        );
    }
    const weak = Object.entries(fields.flags).filter(([field]) => settings[field] !== true);
    if (weak.length > 0) {
        problems.push(
            `does not require ${weak.map(([field, what]) => `${what} (${path}.${field} ${showValue(settings[field])})`).join(", ")}. ` +
                `Fix: set ${weak.map(([field]) => field).join(", ")} to true.`,
        );
    }
    return problems;
}

function missingChecksProblem(contexts: string[], required: string[], path: string): string | undefined {
    const missing = required.filter(check => !contexts.includes(check));
    if (missing.length === 0) return undefined;
    return `does not require the status check(s) ${missing.join(", ")} (${path} has ${contexts.length > 0 ? contexts.join(", ") : "none"}). Fix: add them to the required status checks.`;
}

export const branchProtectionStandard: ResourceValidationPolicy = {
    name: "branch-protection-standard",
    description:
        "Rulesets and branch protections of main and release/* are enforced, take only reviewed pull requests that pass every required check, and allow no force push, deletion or bypass.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["change-management", "supply-chain", "github"] }),
    configSchema: {
        properties: {
            requiredChecks: {
                type: "array",
                items: { type: "string" },
                default: [
                    "ci/lint",
                    "ci/unit-tests",
                    "ci/integration-tests",
                    "ci/docker-build",
                    "ci/upms-compliance",
                    "ci/security-scan",
                    "ci/upms-gate-validation",
                ],
                description: "Status checks every pull request into main or release/* of the application repository passes.",
            },
            releaseChecks: {
                type: "array",
                items: { type: "string" },
                default: ["ci/full-test-suite", "ci/performance-tests", "ci/compliance-report"],
                description: "Status checks release/* requires on top of requiredChecks.",
            },
            minimumApprovals: {
                type: "integer",
                minimum: 1,
                default: 2,
                description: "Approving reviews a pull request into main or release/* needs at least.",
            },
            infrastructureRepositories: {
                type: "array",
                items: { type: "string" },
                default: ["trading-platform"],
                description:
                    "Repositories whose workflows deploy the stacks: their rulesets require the checks of those workflows (platform/delivery.ts), not requiredChecks.",
            },
        },
    },
    validateResource: [
        validateResourceOfType(github.RepositoryRuleset, (resource, args, reportViolation) => {
            const ruleset = resource as RulesetProps;
            // Tag and push rulesets are another policy's concern; a ruleset with no target is judged by its refs.
            if (ruleset.target !== undefined && ruleset.target !== "branch") return;
            const { branches, patterns } = rulesetBranchesOf(ruleset);
            if (branches.size === 0) return;
            const config = args.getConfig<BranchStandardConfig>();
            const who = describeRuleset(ruleset, args.name, patterns);
            const report = (problem: string) => reportViolation(`${who} ${problem}`);

            if (ruleset.enforcement !== "active") {
                report(
                    `has enforcement ${showValue(ruleset.enforcement)}, not "active", so its rules are not enforced. Fix: set enforcement: "active".`,
                );
            }
            const rules = ruleset.rules ?? {};
            if (typeof rules.pullRequest !== "object" || rules.pullRequest === null) {
                report(
                    `does not require pull requests (rules.pullRequest unset), so changes land unreviewed. Fix: set rules.pullRequest with requiredApprovingReviewCount ${config.minimumApprovals} and every review requirement true.`,
                );
            } else {
                const flags = {
                    requireCodeOwnerReview: "a code owner's review",
                    dismissStaleReviewsOnPush: "dismissing stale reviews on push",
                    requireLastPushApproval: "approval of the last push",
                    requiredReviewThreadResolution: "resolved review threads",
                };
                for (const problem of pullRequestProblems(
                    rules.pullRequest as Record<string, unknown>,
                    { approvals: "requiredApprovingReviewCount", flags },
                    config.minimumApprovals,
                    "rules.pullRequest",
                )) {
                    report(problem);
                }
            }
            if (rules.nonFastForward !== true) {
                report(
                    `allows force pushes (rules.nonFastForward ${showValue(rules.nonFastForward)}). Fix: set rules.nonFastForward: true.`,
                );
            }
            if (rules.deletion !== true) {
                report(`allows the branch to be deleted (rules.deletion ${showValue(rules.deletion)}). Fix: set rules.deletion: true.`);
            }
            const contexts = records<{ context: unknown }>(rules.requiredStatusChecks?.requiredChecks)
                .map(c => text(c.context))
                .filter(Boolean);
            const checks = missingChecksProblem(
                contexts,
                checksFor(branches, config, ruleset.repository),
                "rules.requiredStatusChecks.requiredChecks",
            );
            if (checks) report(checks);
            const always = records<{ actorId: unknown; actorType: unknown; bypassMode: unknown }>(ruleset.bypassActors).filter(
                a => a.bypassMode === "always",
            );
            if (always.length > 0) {
                report(
                    `lets ${always.map(a => `${typeof a.actorType === "string" ? a.actorType : "an actor of unset type"} ${showValue(a.actorId)}`).join(", ")} bypass it always. ` +
                        'Fix: remove the bypass actors with bypassMode "always"; nobody, admins included, bypasses main or release/*.',
                );
            }
        }),
        validateResourceOfType(github.BranchProtection, (protection, args, reportViolation) => {
            const branch = classicBranchOf(protection.pattern);
            if (!branch) return;
            const config = args.getConfig<BranchStandardConfig>();
            const repository = text(protection.repositoryId) ? ` of ${protection.repositoryId}` : "";
            const report = (problem: string) => reportViolation(`Branch protection "${protection.pattern}"${repository} ${problem}`);

            // allowsForcePushes and allowsDeletions default to false in the provider: unset is safe.
            if (protection.allowsForcePushes === true) {
                report("allows force pushes (allowsForcePushes true). Fix: set allowsForcePushes: false.");
            }
            if (protection.allowsDeletions === true) {
                report("allows the branch to be deleted (allowsDeletions true). Fix: set allowsDeletions: false.");
            }
            // The classic equivalent of a bypass actor: without enforceAdmins, admins push past every rule.
            if (protection.enforceAdmins !== true) {
                report(`lets admins bypass it (enforceAdmins ${showValue(protection.enforceAdmins)}). Fix: set enforceAdmins: true.`);
            }
            if (protection.requireConversationResolution !== true) {
                report(
                    `does not require resolved review threads (requireConversationResolution ${showValue(protection.requireConversationResolution)}). Fix: set requireConversationResolution: true.`,
                );
            }
            const [reviews] = records<Record<string, unknown>>(protection.requiredPullRequestReviews);
            if (!reviews) {
                report(
                    `does not require pull request reviews (requiredPullRequestReviews unset), so changes land unreviewed. Fix: set requiredPullRequestReviews with requiredApprovingReviewCount ${config.minimumApprovals} and every review requirement true.`,
                );
            } else {
                const flags = {
                    requireCodeOwnerReviews: "a code owner's review",
                    dismissStaleReviews: "dismissing stale reviews on push",
                    requireLastPushApproval: "approval of the last push",
                };
                for (const problem of pullRequestProblems(
                    reviews,
                    { approvals: "requiredApprovingReviewCount", flags },
                    config.minimumApprovals,
                    "requiredPullRequestReviews[0]",
                )) {
                    report(problem);
                }
            }
            const [statusChecks] = records<{ contexts: unknown }>(protection.requiredStatusChecks);
            const checks = missingChecksProblem(
                strings(statusChecks?.contexts),
                checksFor(new Set([branch]), config, protection.repositoryId),
                "requiredStatusChecks[0].contexts",
            );
            if (checks) report(checks);
        }),
    ],
};
