import * as github from "@pulumi/github";
import { DeliveryEnvironment } from "../components/deliveryEnvironment";
import { tradingModeEnv } from "../platform/trading";
import { RepositoryRules } from "../components/repositoryRules";
import { StackConfig } from "./config";
import { fromConfig } from "./configSource";

/** The stack's GitHub environment and, for the production stack, the repository's rulesets. */
export function declareGithub(config: StackConfig) {
    const settings = config.github;
    // The token comes from GITHUB_TOKEN in the environment, never from config.
    const provider = fromConfig("github.owner", new github.Provider("github", { owner: settings.owner }));
    const environment = fromConfig("github.environment", new DeliveryEnvironment(
        settings.environment.name,
        {
            repository: settings.repository,
            environment: settings.environment.name,
            reviewerTeams: settings.environment.reviewerTeams,
            waitTimerMinutes: settings.environment.waitTimerMinutes,
            preventSelfReview: settings.environment.preventSelfReview,
            canAdminsBypass: settings.environment.canAdminsBypass,
            deploymentBranches: settings.environment.deploymentBranches,
            deploymentTags: settings.environment.deploymentTags,
            secrets: config.secrets.githubEnvironment,
            variables: { ...settings.environment.variables, ...tradingModeEnv(config.trading) },
        },
        { providers: { github: provider } },
    ));
    const rules =
        settings.branchProtection && settings.releaseTags
            ? fromConfig("github.branchProtection", new RepositoryRules(settings.repository, { repository: settings.repository, ...settings.branchProtection, releaseTags: settings.releaseTags }, { providers: { github: provider } }))
            : undefined;
    return { environment, rules };
}
