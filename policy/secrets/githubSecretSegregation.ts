import * as github from "@pulumi/github";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { mentionsLive, mentionsPaper } from "../lib/credentials";
import {
    alpacaPaperKeyId,
    describeGithubEnvironment,
    githubEnvironmentOf,
    GithubEnvironments,
    githubEnvironmentsSchema,
    liveTradingFlags,
    looksLikeLiveAlpacaKey,
    plaintextCredentialProblem,
    sameFlag,
    text,
} from "../lib/github";
import { describeFlags } from "../platform";
import { withMetadata } from "../lib/metadata";

export const githubSecretSegregation: ResourceValidationPolicy = {
    name: "github-secret-segregation",
    description:
        "GitHub staging environments hold paper credentials and never switch on live trading, production environments hold no paper credential, and no credential is stored as a plaintext Actions variable.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "critical", topics: ["segregation", "secrets", "github"] }),
    configSchema: { properties: { ...githubEnvironmentsSchema } },
    validateResource: [
        validateResourceOfType(github.ActionsEnvironmentSecret, (secret, args, reportViolation) => {
            const config = args.getConfig<GithubEnvironments>();
            const environment = githubEnvironmentOf(secret.environment, config);
            const who = describeGithubEnvironment(secret.environment, secret.repository);
            const name = text(secret.secretName);
            const label = name ? `secret ${name}` : `secret "${args.name}" (no secretName)`;
            // Names first: the value of a secret can be unknown (a plan re-checked without its secrets),
            // and reading it then ends this validation with the engine's "can't run during preview" note.
            if (environment === "staging" && mentionsLive(name)) {
                reportViolation(
                    `${who}: ${label} names a live credential. Fix: staging holds paper/sandbox credentials only; store the paper key under a paper name (e.g. PAPER_API_KEY) and delete this secret.`,
                );
            }
            if (environment === "production" && mentionsPaper(name)) {
                reportViolation(
                    `${who}: ${label} names a paper/sandbox credential. Fix: production holds live credentials only; store the live key under a live name (e.g. LIVE_API_KEY) and delete this secret.`,
                );
            }
            if (environment === "other") return;
            // The value is read for its shape only: no message quotes it.
            const value = text(secret.value);
            if (environment === "staging" && looksLikeLiveAlpacaKey(name, value)) {
                reportViolation(
                    `${who}: ${label} holds a value shaped like an Alpaca live key id (AK…). Fix: staging holds paper/sandbox credentials only; store a paper key (PK…) instead and rotate the live key.`,
                );
            }
            if (environment === "production" && alpacaPaperKeyId.test(value)) {
                reportViolation(
                    `${who}: ${label} holds a value shaped like an Alpaca paper key id (PK…). Fix: production trades live; store the live key (AK…) instead.`,
                );
            }
        }),
        validateResourceOfType(github.ActionsEnvironmentVariable, (variable, args, reportViolation) => {
            const config = args.getConfig<GithubEnvironments>();
            const who = describeGithubEnvironment(variable.environment, variable.repository);
            const name = text(variable.variableName);
            const value = text(variable.value);
            const problem = plaintextCredentialProblem(name, value);
            if (problem) {
                reportViolation(
                    `${who}: variable ${name || `"${args.name}"`} ${problem}. Fix: store it as an environment secret (github.ActionsEnvironmentSecret) and delete the variable.`,
                );
            }
            if (githubEnvironmentOf(variable.environment, config) !== "staging") return;
            const live = liveTradingFlags[name.toUpperCase()];
            if (live !== undefined && sameFlag(value, live)) {
                reportViolation(
                    `${who}: variable ${name}=${value} switches on live trading in a staging environment. Fix: staging deploys with ${describeFlags("paper")}.`,
                );
            }
        }),
        validateResourceOfType(github.ActionsVariable, (variable, args, reportViolation) => {
            const name = text(variable.variableName);
            const problem = plaintextCredentialProblem(name, text(variable.value));
            if (problem) {
                const repository = text(variable.repository) ? ` of ${variable.repository}` : "";
                reportViolation(
                    `Repository-level Actions variable ${name || `"${args.name}"`}${repository} ${problem}. ` +
                        "Fix: store it as an environment secret (github.ActionsEnvironmentSecret) of the environment that needs it and delete the variable.",
                );
            }
        }),
    ],
};
