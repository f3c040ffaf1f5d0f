import { z } from "zod";
import { ConfigProblem } from "./errors";
import { EnvironmentName, tradingVariableNames } from "../../platform";
import { CI_VARIABLES } from "./ci";
import { envName } from "./primitives";

const teamSlug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "a GitHub team slug such as quant-lead" });
const configKeyName = z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, { error: "the name of a secret config key such as alpacaPaperKeyId" });
const statusCheck = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_./ -]*$/, { error: "a status check context such as ci/lint" });

const repositoryName = z.string().regex(/^[A-Za-z0-9._-]+$/, { error: "a repository name" });

export const githubSchema = z.strictObject({
    /** Organisation that owns the repositories; the provider authenticates with GITHUB_TOKEN. */
    owner: z.string().regex(/^[A-Za-z0-9-]+$/, { error: "a GitHub organisation name" }),
    /** The old single name, split by what each repository is. */
    repository: z
        .undefined({
            error: "repositories.infrastructure (this repository, whose workflows deploy in the environments below) and repositories.application (the application's, if governed): the key was split",
        })
        .optional(),
    repositories: z.strictObject({
        /** This repository: its workflows deploy, so its environments and rulesets are declared here. */
        infrastructure: repositoryName,
        /** The application's repository: staging builds its images; its rulesets require its own CI's checks. */
        application: repositoryName.optional(),
    }),
    /** The deployment environment of the infrastructure repository this stack owns: its name is the stack's name. */
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
        /** Extra plain variables; the trading-mode and CI variables come from trading-platform:trading and :ci. */
        variables: z.record(envName, z.string()).default({}),
    }),
    /**
     * Production only: the rulesets of main and release/* in both repositories. The infrastructure
     * repository requires the checks its own workflows report (platform/delivery.ts); the application's
     * requires its CI's.
     */
    branchProtection: z
        .strictObject({
            requiredApprovals: z.number().int().min(1).max(6),
            requiredChecks: z
                .undefined({
                    error: "applicationChecks (the application repository's CI checks); this repository's checks come from its workflows (platform/delivery.ts)",
                })
                .optional(),
            releaseChecks: z.undefined({ error: "applicationReleaseChecks" }).optional(),
            /** Status checks the application repository's main and release/* require. */
            applicationChecks: z.array(statusCheck).min(1).optional(),
            /** Checks the application's release/* requires on top. */
            applicationReleaseChecks: z.array(statusCheck).default([]),
        })
        .optional(),
    /** Production only: who may create, move or delete release tags of the infrastructure repository (production deploys from them). */
    releaseTags: z.strictObject({ pattern: z.string().min(1), managersTeam: teamSlug }).optional(),
});
export type GithubConfig = z.infer<typeof githubSchema>;

export function githubRules(
    key: string,
    environment: EnvironmentName,
    github: GithubConfig,
    context: { buildsImages: boolean } = { buildsImages: false },
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const { infrastructure, application } = github.repositories;
    if (application === infrastructure) {
        problems.push({
            key: `${key}.repositories.application`,
            expected: "the application's own repository: this one's workflows report other checks and deploy in its environments",
            found: JSON.stringify(application),
        });
    }
    if (context.buildsImages && !application) {
        problems.push({
            key: `${key}.repositories.application`,
            expected: "the application's repository: staging checks out its source to build the images",
            found: "nothing (the key is not set)",
        });
    }
    const protection = github.branchProtection;
    if (protection && application && !protection.applicationChecks) {
        problems.push({
            key: `${key}.branchProtection.applicationChecks`,
            expected: `the status checks ${application}'s CI reports (its rulesets require them)`,
            found: "nothing (the key is not set)",
        });
    }
    if (protection?.applicationChecks && !application) {
        problems.push({
            key: `${key}.branchProtection.applicationChecks`,
            expected: "no application checks without repositories.application",
            found: JSON.stringify(protection.applicationChecks),
        });
    }
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
            problems.push({
                key: `${key}.${section}`,
                expected: `no ${section}: the production stack owns repository rules`,
                found: `a ${section} section`,
            });
        }
        if (environment === "production" && !github[section]) {
            problems.push({
                key: `${key}.${section}`,
                expected: `the ${section} section: the production stack owns repository rules`,
                found: "nothing",
            });
        }
    }
    const ciVariableNames: string[] = Object.values(CI_VARIABLES);
    for (const name of Object.keys(github.environment.variables)) {
        if (ciVariableNames.includes(name)) {
            problems.push({
                key: `${key}.environment.variables.${name}`,
                expected: `no ${name}: it is set from trading-platform:ci`,
                found: JSON.stringify(github.environment.variables[name]),
            });
        }
        if (tradingVariableNames.includes(name)) {
            problems.push({
                key: `${key}.environment.variables.${name}`,
                expected: `no ${name}: it is set from trading-platform:trading`,
                found: JSON.stringify(github.environment.variables[name]),
            });
        }
    }
    return problems;
}
