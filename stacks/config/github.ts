import { z } from "zod";
import { ConfigProblem } from "./errors";
import { EnvironmentName, tradingVariableNames } from "../../platform";
import { envName } from "./primitives";

const teamSlug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "a GitHub team slug such as quant-lead" });
const configKeyName = z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, { error: "the name of a secret config key such as alpacaPaperKeyId" });
const statusCheck = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_./ -]*$/, { error: "a status check context such as ci/lint" });

export const githubSchema = z.strictObject({
    /** Organisation that owns the repository; the provider authenticates with GITHUB_TOKEN. */
    owner: z.string().regex(/^[A-Za-z0-9-]+$/, { error: "a GitHub organisation name" }),
    repository: z.string().regex(/^[A-Za-z0-9._-]+$/, { error: "a repository name" }),
    /** The deployment environment this stack owns: its name is the stack's name. */
    environment: z.strictObject({
        name: z.string(),
        /** Teams whose approval a deployment waits for. */
        reviewerTeams: z.array(teamSlug).default([]),
        waitTimerMinutes: z.number().int().min(0).max(43200).default(0),
        preventSelfReview: z.boolean().default(true),
        canAdminsBypass: z.boolean().default(false),
        /** Branches that may deploy to the environment. */
        deploymentBranches: z.array(z.string().min(1)).default([]),
        /** Tag patterns that may deploy to the environment. */
        deploymentTags: z.array(z.string().min(1)).default([]),
        /** GitHub secret name to the config key (a Pulumi secret) holding its value. */
        secrets: z.record(envName, configKeyName).default({}),
        /** Extra plain variables; the trading-mode variables come from trading-platform:trading. */
        variables: z.record(envName, z.string()).default({}),
    }),
    /** Production only: the rulesets of `main` and `release/*`. */
    branchProtection: z
        .strictObject({
            requiredApprovals: z.number().int().min(1).max(6),
            requiredChecks: z.array(statusCheck).min(1),
            releaseChecks: z.array(statusCheck).default([]),
        })
        .optional(),
    /** Production only: who may create, move or delete release tags. */
    releaseTags: z.strictObject({ pattern: z.string().min(1), managersTeam: teamSlug }).optional(),
});
export type GithubConfig = z.infer<typeof githubSchema>;

export function githubRules(key: string, environment: EnvironmentName, github: GithubConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    if (github.environment.name !== environment) {
        problems.push({
            key: `${key}.environment.name`,
            expected: `"${environment}": each stack owns the GitHub environment named after it`,
            found: JSON.stringify(github.environment.name),
        });
    }
    // Repository-wide rules have one owner, so the two stacks never fight over them.
    for (const section of ["branchProtection", "releaseTags"] as const) {
        if (environment === "staging" && github[section]) {
            problems.push({ key: `${key}.${section}`, expected: `no ${section}: the production stack owns repository rules`, found: `a ${section} section` });
        }
        if (environment === "production" && !github[section]) {
            problems.push({ key: `${key}.${section}`, expected: `the ${section} section: the production stack owns repository rules`, found: "nothing" });
        }
    }
    for (const name of Object.keys(github.environment.variables)) {
        if (tradingVariableNames.includes(name)) {
            problems.push({ key: `${key}.environment.variables.${name}`, expected: `no ${name}: it is set from trading-platform:trading`, found: JSON.stringify(github.environment.variables[name]) });
        }
    }
    return problems;
}
