// How this repository's CI reaches GitHub and AWS: the checks its workflows report (its rulesets require
// exactly these) and the OIDC facts its roles' trust policies are built from. The program, the policy
// pack (through its copy in policy/platform/) and test/workflows.test.ts read them from here.

/** GitHub Actions' OIDC issuer; in AWS the identity provider of this URL is `oidc-provider/<host>`. */
export const GITHUB_OIDC_ISSUER_URL = "https://token.actions.githubusercontent.com";

/** The host AWS names the provider and its condition keys by (`<host>:sub`, `<host>:aud`). */
export const GITHUB_OIDC_HOST = new URL(GITHUB_OIDC_ISSUER_URL).host;

/** The audience aws-actions/configure-aws-credentials asks GitHub's token for. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/**
 * GitHub Actions' app id: a required check pinned to it is satisfied only by a check run of a workflow
 * job, never by a commit status anyone with write access can post under the same name.
 */
export const GITHUB_ACTIONS_APP_ID = 15368;

/**
 * The checks this (infrastructure) repository's workflows report on a pull request: the names of the
 * jobs of .github/workflows/pull-request.yml (a matrix-free job's check run is named by its `name`).
 * Its rulesets require exactly these; test/workflows.test.ts pins the job names to them.
 */
export const infrastructureChecks = {
    /** Every pull request into main or release/*. */
    required: ["Tests and offline plans", "pulumi preview (staging)"],
    /** release/* on top. */
    release: [] as string[],
} as const;

/** The `sub` claim of a job running in GitHub environment `environment` of `owner/repository`. */
export function environmentSubject(owner: string, repository: string, environment: string): string {
    return `repo:${owner}/${repository}:environment:${environment}`;
}

/** The `sub` claim of a job run for a pull request of `owner/repository` (forks get no OIDC token). */
export function pullRequestSubject(owner: string, repository: string): string {
    return `repo:${owner}/${repository}:pull_request`;
}

/** The GitHub environment the scheduled drift check of a stack runs in (main only, no reviewers). */
export function driftEnvironmentOf(stack: string): string {
    return `${stack}-drift`;
}
