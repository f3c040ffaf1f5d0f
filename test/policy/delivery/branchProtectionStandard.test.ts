import { strict as assert } from "assert";
import { branchProtectionStandard } from "../../../policy/delivery/branchProtectionStandard";
import {
    branchProtection,
    GITHUB,
    RELEASE_CHECKS,
    REQUIRED_CHECKS,
    repositoryRules,
    repositoryRuleset,
    TEAMS,
    withProps,
} from "../../support/githubFixtures";
import { evaluateOne, resourceOf, violationsOf } from "../../support/policyHarness";
import { infrastructureChecks } from "../../../platform/delivery";
import { committedConfig } from "../../support/stackConfig";

const MAIN = 'Ruleset "main" of synaptic-trading (refs/heads/main)';
const RELEASE = 'Ruleset "release" of synaptic-trading (refs/heads/release/*)';

describe("policy branch-protection-standard", () => {
    it("defaults to the application's checks the production stack requires (the pack keeps its own copy to stay publishable)", () => {
        const github = JSON.parse(committedConfig("production").values["trading-platform:github"]) as {
            branchProtection: { applicationChecks: string[]; applicationReleaseChecks: string[] };
        };
        assert.deepEqual(REQUIRED_CHECKS, github.branchProtection.applicationChecks);
        assert.deepEqual(RELEASE_CHECKS, github.branchProtection.applicationReleaseChecks);
    });

    it("passes the main, release/* and release tag rulesets and classic protections meeting the standard", async () => {
        const resources = [...repositoryRules(), branchProtection("main"), branchProtection("release/*")];
        assert.deepEqual(await violationsOf(branchProtectionStandard, resources), []);
    });

    it("fails a ruleset that is not enforced", async () => {
        const messages = await violationsOf(branchProtectionStandard, [repositoryRuleset("main", { enforcement: "evaluate" })]);
        assert.deepEqual(messages, [
            `${MAIN} has enforcement "evaluate", not "active", so its rules are not enforced. Fix: set enforcement: "active".`,
        ]);
    });

    it("fails a ruleset that does not require pull requests", async () => {
        const messages = await violationsOf(branchProtectionStandard, [
            withProps(repositoryRuleset("release"), p => delete p.rules.pullRequest),
        ]);
        assert.deepEqual(messages, [
            `${RELEASE} does not require pull requests (rules.pullRequest unset), so changes land unreviewed. Fix: set rules.pullRequest with requiredApprovingReviewCount 2 and every review requirement true.`,
        ]);
    });

    it("fails a ruleset requiring fewer approvals than the minimum", async () => {
        const messages = await violationsOf(branchProtectionStandard, [
            withProps(repositoryRuleset("main"), p => (p.rules.pullRequest.requiredApprovingReviewCount = 1)),
        ]);
        assert.deepEqual(messages, [
            `${MAIN} requires 1 approving review(s) (rules.pullRequest.requiredApprovingReviewCount), fewer than 2. Fix: set requiredApprovingReviewCount to at least 2.`,
        ]);
    });

    it("fails a ruleset whose pull requests skip review requirements, listing each", async () => {
        const ruleset = withProps(repositoryRuleset("main"), p => {
            p.rules.pullRequest.requireCodeOwnerReview = false;
            delete p.rules.pullRequest.requireLastPushApproval;
        });
        const messages = await violationsOf(branchProtectionStandard, [ruleset]);
        assert.deepEqual(messages, [
            `${MAIN} does not require a code owner's review (rules.pullRequest.requireCodeOwnerReview false), approval of the last push (rules.pullRequest.requireLastPushApproval unset). ` +
                "Fix: set requireCodeOwnerReview, requireLastPushApproval to true.",
        ]);
        for (const field of ["dismissStaleReviewsOnPush", "requiredReviewThreadResolution"]) {
            const [message, ...rest] = await violationsOf(branchProtectionStandard, [
                withProps(repositoryRuleset("release"), p => (p.rules.pullRequest[field] = false)),
            ]);
            assert.equal(rest.length, 0, field);
            assert.match(
                message,
                new RegExp(
                    `^Ruleset "release" of synaptic-trading \\(refs/heads/release/\\*\\) does not require .*\\(rules\\.pullRequest\\.${field} false\\)\\. Fix: set ${field} to true\\.$`,
                ),
            );
        }
    });

    it("fails a ruleset that allows force pushes", async () => {
        const messages = await violationsOf(branchProtectionStandard, [
            withProps(repositoryRuleset("main"), p => (p.rules.nonFastForward = false)),
        ]);
        assert.deepEqual(messages, [`${MAIN} allows force pushes (rules.nonFastForward false). Fix: set rules.nonFastForward: true.`]);
    });

    it("fails a ruleset that allows deleting the branch", async () => {
        const messages = await violationsOf(branchProtectionStandard, [
            withProps(repositoryRuleset("release"), p => delete p.rules.deletion),
        ]);
        assert.deepEqual(messages, [`${RELEASE} allows the branch to be deleted (rules.deletion unset). Fix: set rules.deletion: true.`]);
    });

    it("fails a ruleset missing required checks, naming them", async () => {
        const main = withProps(repositoryRuleset("main"), p => {
            p.rules.requiredStatusChecks.requiredChecks = p.rules.requiredStatusChecks.requiredChecks.filter(
                (c: { context: string }) => c.context !== "ci/security-scan",
            );
        });
        const [message, ...rest] = await violationsOf(branchProtectionStandard, [main]);
        assert.equal(rest.length, 0);
        assert.match(
            message,
            /^Ruleset "main" of synaptic-trading \(refs\/heads\/main\) does not require the status check\(s\) ci\/security-scan \(rules\.requiredStatusChecks\.requiredChecks has ci\/lint, .*\)\. Fix: add them to the required status checks\.$/,
        );
    });

    it("demands the release checks on release/* only", async () => {
        const release = withProps(
            repositoryRuleset("release"),
            p => (p.rules.requiredStatusChecks.requiredChecks = REQUIRED_CHECKS.map(context => ({ context }))),
        );
        const messages = await violationsOf(branchProtectionStandard, [release]);
        assert.deepEqual(messages, [
            `${RELEASE} does not require the status check(s) ${RELEASE_CHECKS.join(", ")} (rules.requiredStatusChecks.requiredChecks has ${REQUIRED_CHECKS.join(", ")}). Fix: add them to the required status checks.`,
        ]);
        const [both] = await violationsOf(branchProtectionStandard, [
            withProps(repositoryRuleset("main"), p => p.conditions.refName.includes.push("refs/heads/release/*")),
        ]);
        assert.match(
            both,
            /^Ruleset "main" of synaptic-trading \(refs\/heads\/main, refs\/heads\/release\/\*\) does not require the status check\(s\) ci\/full-test-suite, ci\/performance-tests, ci\/compliance-report /,
        );
    });

    it("fails a ruleset anyone may bypass always, and accepts pull-request bypasses", async () => {
        const always = repositoryRuleset("main", {
            bypassActors: [
                { actorId: 5, actorType: "RepositoryRole", bypassMode: "always" },
                { actorId: TEAMS.releaseManagers, actorType: "Team", bypassMode: "pull_request" },
            ],
        });
        const messages = await violationsOf(branchProtectionStandard, [always]);
        assert.deepEqual(messages, [
            `${MAIN} lets RepositoryRole 5 bypass it always. Fix: remove the bypass actors with bypassMode "always"; nobody, admins included, bypasses main or release/*.`,
        ]);
    });

    it("judges the default branch as main, and leaves other branches, excluded refs and tag rulesets alone", async () => {
        const defaultBranch = repositoryRuleset("main", {
            name: "default",
            enforcement: "disabled",
            conditions: { refName: { includes: ["~DEFAULT_BRANCH"], excludes: [] } },
        });
        const [message] = await violationsOf(branchProtectionStandard, [defaultBranch]);
        assert.match(message, /^Ruleset "default" of synaptic-trading \(~DEFAULT_BRANCH\) has enforcement "disabled"/);
        const weak = { enforcement: "disabled", rules: {} };
        const others = [
            repositoryRuleset("main", { ...weak, conditions: { refName: { includes: ["refs/heads/feature/*"], excludes: [] } } }),
            repositoryRuleset("main", {
                ...weak,
                conditions: { refName: { includes: ["refs/heads/main"], excludes: ["refs/heads/main"] } },
            }),
            repositoryRuleset("release-tags", weak),
            branchProtection("main", { pattern: "develop", enforceAdmins: false }),
        ];
        assert.deepEqual(await violationsOf(branchProtectionStandard, others), []);
    });

    it("fails classic branch protection of main that allows force pushes or deletion, lets admins through or skips conversation resolution", async () => {
        const cases: [Record<string, unknown>, string][] = [
            [{ allowsForcePushes: true }, "allows force pushes (allowsForcePushes true). Fix: set allowsForcePushes: false."],
            [{ allowsDeletions: true }, "allows the branch to be deleted (allowsDeletions true). Fix: set allowsDeletions: false."],
            [{ enforceAdmins: false }, "lets admins bypass it (enforceAdmins false). Fix: set enforceAdmins: true."],
            [
                { requireConversationResolution: undefined },
                "does not require resolved review threads (requireConversationResolution unset). Fix: set requireConversationResolution: true.",
            ],
        ];
        for (const [change, problem] of cases) {
            assert.deepEqual(await violationsOf(branchProtectionStandard, [branchProtection("main", change)]), [
                `Branch protection "main" of synaptic-trading ${problem}`,
            ]);
        }
        // The provider defaults allowsForcePushes and allowsDeletions to false.
        assert.deepEqual(
            await violationsOf(branchProtectionStandard, [
                branchProtection("main", { allowsForcePushes: undefined, allowsDeletions: undefined }),
            ]),
            [],
        );
    });

    it("fails classic branch protection whose reviews or checks fall short", async () => {
        const [reviews] = await violationsOf(branchProtectionStandard, [
            withProps(branchProtection("release/*"), p => (p.requiredPullRequestReviews[0].dismissStaleReviews = false)),
        ]);
        assert.equal(
            reviews,
            'Branch protection "release/*" of synaptic-trading does not require dismissing stale reviews on push (requiredPullRequestReviews[0].dismissStaleReviews false). Fix: set dismissStaleReviews to true.',
        );
        const [none] = await violationsOf(branchProtectionStandard, [branchProtection("main", { requiredPullRequestReviews: [] })]);
        assert.match(
            none,
            /^Branch protection "main" of synaptic-trading does not require pull request reviews \(requiredPullRequestReviews unset\)/,
        );
        const [checks] = await violationsOf(branchProtectionStandard, [
            branchProtection("release/*", { requiredStatusChecks: [{ strict: true, contexts: REQUIRED_CHECKS }] }),
        ]);
        assert.match(
            checks,
            /^Branch protection "release\/\*" of synaptic-trading does not require the status check\(s\) ci\/full-test-suite, ci\/performance-tests, ci\/compliance-report \(requiredStatusChecks\[0\]\.contexts has /,
        );
    });

    it("never throws on missing fields: each missing rule is a violation", async () => {
        const result = await evaluateOne(branchProtectionStandard, [
            resourceOf("production", GITHUB.ruleset, "empty", {}),
            resourceOf("production", GITHUB.ruleset, "bare-main", {
                target: "branch",
                conditions: { refName: { includes: ["refs/heads/main"] } },
            }),
            resourceOf("production", GITHUB.branchProtection, "bare-protection", { pattern: "main" }),
            resourceOf("production", GITHUB.branchProtection, "no-pattern", {}),
        ]);
        assert.deepEqual(result.errors, []);
        const messages = result.violations.map(v => v.detail);
        assert.equal(messages.length, 9, messages.join("\n"));
        const bare = 'Ruleset "bare-main" (no name) (refs/heads/main)';
        assert.deepEqual(
            messages.slice(0, 5).map(m => m.slice(0, bare.length)),
            Array(5).fill(bare),
        );
        assert.match(messages[1], /does not require pull requests \(rules\.pullRequest unset\)/);
        assert.match(
            messages[4],
            new RegExp(
                `does not require the status check\\(s\\) ${REQUIRED_CHECKS.join(", ")} \\(rules\\.requiredStatusChecks\\.requiredChecks has none\\)`,
            ),
        );
        assert.ok(
            messages.slice(5).every(m => m.startsWith('Branch protection "main" ')),
            messages.join("\n"),
        );
        assert.match(messages[7], /does not require pull request reviews/);
    });

    it("takes its checks and minimum approvals from policy config", async () => {
        const rules = repositoryRules();
        const stricter = await violationsOf(branchProtectionStandard, rules, { "branch-protection-standard": { minimumApprovals: 3 } });
        assert.deepEqual(stricter, [
            `${MAIN} requires 2 approving review(s) (rules.pullRequest.requiredApprovingReviewCount), fewer than 3. Fix: set requiredApprovingReviewCount to at least 3.`,
            `${RELEASE} requires 2 approving review(s) (rules.pullRequest.requiredApprovingReviewCount), fewer than 3. Fix: set requiredApprovingReviewCount to at least 3.`,
        ]);
        const moreChecks = await violationsOf(branchProtectionStandard, rules, {
            "branch-protection-standard": { requiredChecks: ["ci/lint", "ci/e2e"], releaseChecks: [] },
        });
        assert.equal(moreChecks.length, 2);
        assert.ok(
            moreChecks.every(m => / does not require the status check\(s\) ci\/e2e \(/.test(m)),
            moreChecks.join("\n"),
        );
    });

    it("holds the infrastructure repository's rulesets to the checks its own workflows report, not the application's", async () => {
        const infrastructure = (kind: "main" | "release", checks: string[]) =>
            withProps(repositoryRuleset(kind), p => {
                p.repository = "trading-platform";
                p.rules.requiredStatusChecks.requiredChecks = checks.map(context => ({ context, integrationId: 15368 }));
            });
        const own = [...infrastructureChecks.required];
        assert.deepEqual(
            await violationsOf(branchProtectionStandard, [
                infrastructure("main", own),
                infrastructure("release", [...own, ...infrastructureChecks.release]),
            ]),
            [],
        );
        // The application's checks are never reported in this repository: requiring them blocks every merge, and misses its own.
        const [wrong, ...rest] = await violationsOf(branchProtectionStandard, [infrastructure("main", REQUIRED_CHECKS)]);
        assert.equal(rest.length, 0);
        assert.equal(
            wrong,
            `Ruleset "main" of trading-platform (refs/heads/main) does not require the status check(s) ${own.join(", ")} (rules.requiredStatusChecks.requiredChecks has ${REQUIRED_CHECKS.join(", ")}). Fix: add them to the required status checks.`,
        );
        // Which repositories deploy is policy config; any other keeps the application's checks.
        const renamed = await violationsOf(branchProtectionStandard, [infrastructure("main", own)], {
            "branch-protection-standard": { infrastructureRepositories: ["infra"] },
        });
        assert.equal(renamed.length, 1);
        assert.match(renamed[0], /does not require the status check\(s\) ci\/lint, /);
    });
});
