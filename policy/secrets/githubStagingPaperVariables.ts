import * as github from "@pulumi/github";
import { StackValidationPolicy } from "@pulumi/policy";
import {
    describeGithubEnvironment,
    githubEnvironmentOf,
    GithubEnvironments,
    githubEnvironmentsSchema,
    paperTradingFlags,
    resourcesOfType,
    sameFlag,
    text,
} from "../lib/github";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

interface EnvironmentProps {
    repository?: string;
    environment?: string;
}
interface VariableProps extends EnvironmentProps {
    variableName?: string;
    value?: string;
}

export const githubStagingPaperVariables: StackValidationPolicy = {
    name: "github-staging-paper-variables",
    description: "Every GitHub staging environment declares DRY_RUN=true and ALPACA_PAPER=true, so what it deploys trades on paper.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["segregation", "github"] }),
    configSchema: { properties: { ...githubEnvironmentsSchema } },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<GithubEnvironments>();
        const variables = resourcesOfType(args.resources, github.ActionsEnvironmentVariable).map(r => r.props as VariableProps);
        for (const environment of resourcesOfType(args.resources, github.RepositoryEnvironment)) {
            const props = environment.props as EnvironmentProps;
            if (githubEnvironmentOf(props.environment, config) !== "staging") continue;
            const who = describeGithubEnvironment(props.environment, props.repository);
            const own = variables.filter(
                v => text(v.repository) === text(props.repository) && text(v.environment) === text(props.environment),
            );
            for (const [flag, expected] of Object.entries(paperTradingFlags)) {
                const declared = own.filter(v => text(v.variableName).toUpperCase() === flag);
                if (declared.length === 0) {
                    reportViolation(
                        `${who} declares no ${flag} variable, so nothing pins its deployments to paper trading. Fix: declare an ActionsEnvironmentVariable ${flag}=${expected} for this environment.`,
                        environment.urn,
                    );
                }
                for (const variable of declared.filter(v => !sameFlag(v.value, expected))) {
                    const found =
                        variable.value === undefined || variable.value === null
                            ? `declares ${flag} with no value`
                            : `sets ${flag} to ${showValue(variable.value)}`;
                    reportViolation(`${who} ${found}, not ${expected}. Fix: set the variable ${flag}=${expected}.`, environment.urn);
                }
            }
        }
    },
};
