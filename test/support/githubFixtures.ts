import { resourceOf } from "./policyHarness";
import { branchProtectionStandard } from "../../policy/delivery/branchProtectionStandard";
import { EvaluatedResource } from "../../tools/engine/resource";

// Valid GitHub delivery resources, shaped as components/deliveryEnvironment/ and
// components/repositoryRules/ declare them, that each test breaks in exactly one way.

/** Pulumi type tokens (`__pulumiType` of each @pulumi/github class). */
export const GITHUB = {
    environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
    deploymentPolicy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
    environmentSecret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
    environmentVariable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
    actionsVariable: "github:index/actionsVariable:ActionsVariable",
    ruleset: "github:index/repositoryRuleset:RepositoryRuleset",
    branchProtection: "github:index/branchProtection:BranchProtection",
} as const;

export const REPOSITORY = "synaptic-trading";
/** Numeric team ids, as the components resolve them from team slugs. */
export const TEAMS = { productLead: 1101, compliance: 1102, quantLead: 1103, releaseManagers: 4201 } as const;
/** The application's checks, as the policy's defaults name them (a test pins them to the production stack's config). */
const checkDefaults = branchProtectionStandard.configSchema?.properties as Record<
    "requiredChecks" | "releaseChecks",
    { default: string[] }
>;
export const REQUIRED_CHECKS = checkDefaults.requiredChecks.default;
export const RELEASE_CHECKS = checkDefaults.releaseChecks.default;
/** Fake Alpaca key ids with the real shapes: live ids start AK, paper ids PK (AK/PK + 18). */
export const LIVE_KEY_ID = "AKLIVEFIXTURE0000001";
export const PAPER_KEY_ID = "PKPAPERFIXTURE000001";
const SECRET_KEY = "fixture-secret-key-0123456789abcdefghij";

/** Fixture environments named like production (production, prod-eu, live) are live; any other is paper. */
export const isLiveEnvironment = (environment: string) => /prod|live/i.test(environment);

/** `base` with `overrides` applied; an override to undefined removes the field. */
function build(
    stack: string,
    type: string,
    name: string,
    base: Record<string, unknown>,
    overrides: Record<string, unknown>,
): EvaluatedResource {
    const inputs: Record<string, unknown> = { ...base, ...overrides };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) delete inputs[key];
    }
    return resourceOf(stack, type, name, inputs);
}

/** A copy of `resource` whose props (inputs and outputs alike) `change` edits in place. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withProps(resource: EvaluatedResource, change: (props: any) => void): EvaluatedResource {
    const props = structuredClone(resource.inputs);
    change(props);
    return { ...resource, inputs: props, outputs: props };
}

/** A GitHub environment with valid gates: production's are strict, staging's paper deployments lighter. */
export function repositoryEnvironment(
    environment = "production",
    overrides: Record<string, unknown> = {},
    stack = environment,
): EvaluatedResource {
    const live = isLiveEnvironment(environment);
    return build(
        stack,
        GITHUB.environment,
        environment,
        {
            repository: REPOSITORY,
            environment,
            waitTimer: live ? 15 : 0,
            preventSelfReview: true,
            canAdminsBypass: false,
            reviewers: [{ teams: live ? [TEAMS.productLead, TEAMS.compliance] : [TEAMS.quantLead] }],
            deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
        },
        overrides,
    );
}

/** The refs an environment deploys from: production the release tags `v*`, staging the branch `main`. */
export function deploymentPolicy(
    environment = "production",
    overrides: Record<string, unknown> = {},
    stack = environment,
): EvaluatedResource {
    const ref = isLiveEnvironment(environment) ? { tagPattern: "v*" } : { branchPattern: "main" };
    const name = `${environment}-${"tagPattern" in ref ? "tag-v-2a" : "branch-main"}`;
    return build(stack, GITHUB.deploymentPolicy, name, { repository: REPOSITORY, environment, ...ref }, overrides);
}

/** An environment secret: production holds LIVE_* keys, staging PAPER_* keys, each with its key's shape. */
export function environmentSecret(
    environment = "production",
    secretName?: string,
    overrides: Record<string, unknown> = {},
    stack = environment,
): EvaluatedResource {
    const live = isLiveEnvironment(environment);
    const name = secretName ?? (live ? "LIVE_API_KEY" : "PAPER_API_KEY");
    const value = /SECRET/.test(name) ? SECRET_KEY : live ? LIVE_KEY_ID : PAPER_KEY_ID;
    return build(
        stack,
        GITHUB.environmentSecret,
        `${environment}-${name}`,
        { repository: REPOSITORY, environment, secretName: name, value },
        overrides,
    );
}

/** The trading-mode variables an environment deploys with (platform/trading.ts). */
export function tradingVariables(environment: string): Record<string, string> {
    const paper = !isLiveEnvironment(environment);
    return {
        TRADING_MODE: paper ? "paper" : "live",
        DRY_RUN: String(paper),
        ALPACA_PAPER: String(paper),
        BROKER_ENDPOINT: `https://${paper ? "paper-api" : "api"}.alpaca.markets`,
    };
}

/** An environment variable, valued as `tradingVariables(environment)` says (LOG_LEVEL=info for others). */
export function environmentVariable(
    environment = "staging",
    variableName = "DRY_RUN",
    overrides: Record<string, unknown> = {},
    stack = environment,
): EvaluatedResource {
    const value = tradingVariables(environment)[variableName] ?? "info";
    return build(
        stack,
        GITHUB.environmentVariable,
        `${environment}-${variableName}`,
        { repository: REPOSITORY, environment, variableName, value },
        overrides,
    );
}

/** A repository-level Actions variable holding nothing secret. */
export function actionsVariable(
    variableName = "LOG_LEVEL",
    overrides: Record<string, unknown> = {},
    stack = "production",
): EvaluatedResource {
    return build(
        stack,
        GITHUB.actionsVariable,
        `${REPOSITORY}-${variableName}`,
        { repository: REPOSITORY, variableName, value: "info" },
        overrides,
    );
}

export type RulesetKind = "main" | "release" | "release-tags";

/** One of the repository's rulesets as RepositoryRules declares them: main, release/* or the release tags. */
export function repositoryRuleset(
    kind: RulesetKind = "main",
    overrides: Record<string, unknown> = {},
    stack = "production",
): EvaluatedResource {
    const base: Record<string, unknown> =
        kind === "release-tags"
            ? {
                  name: kind,
                  repository: REPOSITORY,
                  target: "tag",
                  enforcement: "active",
                  conditions: { refName: { includes: ["refs/tags/v*"], excludes: [] } },
                  bypassActors: [{ actorId: TEAMS.releaseManagers, actorType: "Team", bypassMode: "always" }],
                  rules: { creation: true, update: true, deletion: true },
              }
            : {
                  name: kind,
                  repository: REPOSITORY,
                  target: "branch",
                  enforcement: "active",
                  conditions: { refName: { includes: [kind === "main" ? "refs/heads/main" : "refs/heads/release/*"], excludes: [] } },
                  bypassActors: [],
                  rules: {
                      deletion: true,
                      nonFastForward: true,
                      pullRequest: {
                          requiredApprovingReviewCount: 2,
                          requireCodeOwnerReview: true,
                          dismissStaleReviewsOnPush: true,
                          requireLastPushApproval: true,
                          requiredReviewThreadResolution: true,
                      },
                      requiredStatusChecks: {
                          requiredChecks: [...REQUIRED_CHECKS, ...(kind === "release" ? RELEASE_CHECKS : [])].map(context => ({ context })),
                          strictRequiredStatusChecksPolicy: true,
                      },
                  },
              };
    return build(stack, GITHUB.ruleset, `${REPOSITORY}-${kind}`, base, overrides);
}

/** A classic branch protection of main or release/* meeting the same standard as the rulesets. */
export function branchProtection(
    pattern: "main" | "release/*" = "main",
    overrides: Record<string, unknown> = {},
    stack = "production",
): EvaluatedResource {
    return build(
        stack,
        GITHUB.branchProtection,
        `${REPOSITORY}-${pattern.replace(/[^a-z]/g, "")}`,
        {
            repositoryId: REPOSITORY,
            pattern,
            allowsDeletions: false,
            allowsForcePushes: false,
            enforceAdmins: true,
            requireConversationResolution: true,
            requiredPullRequestReviews: [
                {
                    requiredApprovingReviewCount: 2,
                    requireCodeOwnerReviews: true,
                    dismissStaleReviews: true,
                    requireLastPushApproval: true,
                },
            ],
            requiredStatusChecks: [{ strict: true, contexts: [...REQUIRED_CHECKS, ...(pattern === "release/*" ? RELEASE_CHECKS : [])] }],
        },
        overrides,
    );
}

/** Everything DeliveryEnvironment declares for one environment: the environment, its refs, secrets and variables. */
export function deliveryEnvironment(environment: string, stack = environment): EvaluatedResource[] {
    const live = isLiveEnvironment(environment);
    const prefix = live ? "LIVE" : "PAPER";
    return [
        repositoryEnvironment(environment, {}, stack),
        deploymentPolicy(environment, {}, stack),
        environmentSecret(environment, `${prefix}_API_KEY`, {}, stack),
        environmentSecret(environment, `${prefix}_API_SECRET`, {}, stack),
        ...Object.keys(tradingVariables(environment)).map(name => environmentVariable(environment, name, {}, stack)),
    ];
}

/** Everything RepositoryRules declares: the main, release/* and release tag rulesets. */
export function repositoryRules(stack = "production"): EvaluatedResource[] {
    return (["main", "release", "release-tags"] as const).map(kind => repositoryRuleset(kind, {}, stack));
}
