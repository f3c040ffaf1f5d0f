import { z } from "zod";
import { ConfigProblem } from "./errors";
import { EnvironmentName, tradingVariableNames } from "../../platform";
import { CI_VARIABLES } from "./ci";
import { envName } from "./primitives";

const teamSlug = z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, { error: "a GitHub team slug such as quant-lead" })
    .meta({ title: "team slug" });
const configKeyName = z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]*$/, { error: "the name of a secret config key such as alpacaPaperKeyId" })
    .meta({ title: "config key" });
const statusCheck = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_./ -]*$/, { error: "a status check context such as ci/lint" })
    .meta({ title: "check name" });

const repositoryName = z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, { error: "a repository name" })
    .meta({ title: "repository name" });

export const githubSchema = z
    .strictObject({
        owner: z
            .string()
            .regex(/^[A-Za-z0-9-]+$/, { error: "a GitHub organisation name" })
            .meta({
                title: "organisation",
                description: "Owner of both repositories; the GitHub provider authenticates with `GITHUB_TOKEN` from the environment.",
            }),
        repository: z
            .undefined({
                error: "repositories.infrastructure (this repository, whose workflows deploy in the environments below) and repositories.application (the application's, if governed): the key was split",
            })
            .optional()
            .describe("Refused: the old single key, split into `repositories.infrastructure` and `repositories.application`."),
        repositories: z.strictObject({
            infrastructure: repositoryName.describe(
                "This repository: its workflows deploy, so its `staging`/`production` environments, the drift check's `<stack>-drift` environment, its rulesets (production) and its pull requests' repository variables (staging) are declared in it.",
            ),
            application: repositoryName
                .optional()
                .describe(
                    "The application's repository: staging checks out its source to build the images (required when `images.build` is set); production declares its rulesets with `branchProtection.applicationChecks`. Must differ from `infrastructure`.",
                ),
        }),
        environment: z
            .strictObject({
                name: z.string().describe("Must equal the stack's name: each stack owns its environment."),
                reviewerTeams: z
                    .array(teamSlug)
                    .default([])
                    .describe("Teams whose approval a deployment waits for (resolved to numeric ids)."),
                waitTimerMinutes: z
                    .number()
                    .int()
                    .min(0)
                    .max(43200)
                    .default(0)
                    .describe("Delay before a deployment job starts, in minutes."),
                preventSelfReview: z.boolean().default(true).describe("The person who triggered a deployment cannot approve it."),
                canAdminsBypass: z.boolean().default(false).describe("Whether admins skip the protection rules."),
                deploymentBranches: z.array(z.string().min(1)).default([]).describe("Branch patterns that may deploy to the environment."),
                deploymentTags: z.array(z.string().min(1)).default([]).describe("Tag patterns that may deploy to the environment."),
                secrets: z
                    .record(envName, configKeyName)
                    .default({})
                    .describe("Environment secrets: GitHub secret name to the config key (a Pulumi secret) holding its value."),
                variables: z
                    .record(envName, z.string())
                    .default({})
                    .describe(
                        "Extra plain variables; the trading-mode variables are added from `trading`, the CI variables (`AWS_REGION`, `AWS_DEPLOY_ROLE_ARN`, `PULUMI_BACKEND_URL`, production's `STAGING_PULUMI_BACKEND_URL` and `PROMOTION_RECORDS_URI`, staging's `APP_REPOSITORY`) from `ci`; neither may be set here.",
                    ),
            })
            .describe("The deployment environment of the infrastructure repository this stack owns: its name is the stack's name."),
        branchProtection: z
            .strictObject({
                requiredApprovals: z
                    .number()
                    .int()
                    .min(1)
                    .max(6)
                    .describe(
                        "Approvals (a code owner's among them) a pull request into `main` or `release/*` of either repository needs.",
                    ),
                requiredChecks: z
                    .undefined({
                        error: "applicationChecks (the application repository's CI checks); this repository's checks come from its workflows (platform/delivery.ts)",
                    })
                    .optional()
                    .describe("Refused: renamed `applicationChecks`."),
                releaseChecks: z
                    .undefined({ error: "applicationReleaseChecks" })
                    .optional()
                    .describe("Refused: renamed `applicationReleaseChecks`."),
                applicationChecks: z
                    .array(statusCheck)
                    .min(1)
                    .optional()
                    .describe(
                        "Status checks the application repository's `main` and `release/*` require (its CI's); required when `repositories.application` is set, refused otherwise. This repository's rulesets require the jobs of its own workflows instead: `infrastructureChecks` in `platform/delivery.ts`, pinned to GitHub Actions (app id 15368), which `test/workflows.test.ts` pins to the job names.",
                    ),
                applicationReleaseChecks: z
                    .array(statusCheck)
                    .default([])
                    .describe("Checks the application's `release/*` requires on top."),
            })
            .optional()
            .describe("Production only: the rulesets of `main` and `release/*` in both repositories."),
        releaseTags: z
            .strictObject({
                pattern: z.string().min(1).describe("Release tags of this repository, e.g. `v*` (production deploys from them)."),
                managersTeam: teamSlug.describe("The only team that may create, move or delete release tags."),
            })
            .optional()
            .describe("Production only: who may create, move or delete the infrastructure repository's release tags."),
    })
    .describe("The repositories the program governs, the stack's deployment environment and (production) the repositories' rules.");
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
