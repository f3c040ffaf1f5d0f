import * as github from "@pulumi/github";
import { DeliveryEnvironment } from "../components/deliveryEnvironment";
import { RepositoryRules } from "../components/repositoryRules";
import { GITHUB_ACTIONS_APP_ID, infrastructureChecks } from "../platform/delivery";
import { tradingModeEnv } from "../platform/trading";
import { StackConfig } from "./config";
import { ciVariables } from "./config/ci";
import { fromConfig } from "./configSource";

/**
 * The infrastructure repository's GitHub environments this stack owns (the deploy environment and the
 * drift check's), the repository-level variables its pull requests preview with (staging), and, for
 * the production stack, the rulesets of both repositories.
 */
export function declareGithub(config: StackConfig) {
    const settings = config.github;
    const repository = settings.repositories.infrastructure;
    // The token comes from GITHUB_TOKEN in the environment, never from config (docs/ci-identities.md).
    const provider = fromConfig("github.owner", new github.Provider("github", { owner: settings.owner }));
    const providers = { providers: { github: provider } };
    const ci = ciVariables(
        config.project,
        config.stack,
        config.ci,
        config.eks.region,
        { owner: settings.owner, application: settings.repositories.application },
        config.releaseEvidence?.store,
    );

    const environment = fromConfig(
        "github.environment",
        new DeliveryEnvironment(
            settings.environment.name,
            {
                repository,
                environment: settings.environment.name,
                reviewerTeams: settings.environment.reviewerTeams,
                waitTimerMinutes: settings.environment.waitTimerMinutes,
                preventSelfReview: settings.environment.preventSelfReview,
                canAdminsBypass: settings.environment.canAdminsBypass,
                deploymentBranches: settings.environment.deploymentBranches,
                deploymentTags: settings.environment.deploymentTags,
                secrets: config.secrets.githubEnvironment,
                variables: { ...settings.environment.variables, ...tradingModeEnv(config.trading), ...ci.deploy },
            },
            providers,
        ),
    );
    // The scheduled drift check runs reviewed code only (main), without a person to approve it at night.
    const drift = fromConfig(
        "ci",
        new DeliveryEnvironment(
            ci.drift.environment,
            {
                repository,
                environment: ci.drift.environment,
                reviewerTeams: [],
                waitTimerMinutes: 0,
                preventSelfReview: false,
                canAdminsBypass: false,
                deploymentBranches: ["main"],
                deploymentTags: [],
                secrets: {},
                variables: ci.drift.variables,
            },
            providers,
        ),
    );
    // A pull request's preview runs in no environment (its token's subject is the pull request), so it reads repository variables.
    for (const [variableName, value] of Object.entries(ci.pullRequest ?? {})) {
        fromConfig("ci", new github.ActionsVariable(`pull-request-${variableName}`, { repository, variableName, value }, { provider }));
    }

    const protection = settings.branchProtection;
    const rules =
        protection && settings.releaseTags
            ? [
                  fromConfig(
                      "github.branchProtection",
                      new RepositoryRules(
                          repository,
                          {
                              repository,
                              requiredApprovals: protection.requiredApprovals,
                              // Pinned to GitHub Actions: a commit status of the same name satisfies nothing.
                              requiredChecks: infrastructureChecks.required.map(context => ({
                                  context,
                                  integrationId: GITHUB_ACTIONS_APP_ID,
                              })),
                              releaseChecks: infrastructureChecks.release.map(context => ({
                                  context,
                                  integrationId: GITHUB_ACTIONS_APP_ID,
                              })),
                              releaseTags: settings.releaseTags,
                          },
                          providers,
                      ),
                  ),
                  ...(settings.repositories.application && protection.applicationChecks
                      ? [
                            fromConfig(
                                "github.branchProtection.applicationChecks",
                                new RepositoryRules(
                                    settings.repositories.application,
                                    {
                                        repository: settings.repositories.application,
                                        requiredApprovals: protection.requiredApprovals,
                                        requiredChecks: protection.applicationChecks.map(context => ({ context })),
                                        releaseChecks: protection.applicationReleaseChecks.map(context => ({ context })),
                                    },
                                    providers,
                                ),
                            ),
                        ]
                      : []),
              ]
            : [];
    return { environment, drift, rules };
}
