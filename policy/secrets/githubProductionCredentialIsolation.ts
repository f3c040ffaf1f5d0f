import * as github from "@pulumi/github";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { describeGithubEnvironment, githubEnvironmentOf, GithubEnvironments, githubEnvironmentsSchema, text } from "../lib/github";
import { withMetadata } from "../lib/metadata";

export interface ProductionCredentialConfig extends GithubEnvironments {
    productionAwsAccounts: string[];
}

/** A name that says it is production's: PROD or PRODUCTION as a word of it (`PROD_STATE_PASSPHRASE`, `awsRoleProduction`). */
export function mentionsProduction(name: string): boolean {
    return /(^|[_.\-/\s])(PROD|PRODUCTION)([_.\-/\s]|$)/i.test(name.replace(/([a-z0-9])([A-Z])/g, "$1_$2"));
}

/** Why a value is production's AWS identity (a role ARN in a production account, or a role named for production), or undefined. */
export function productionRoleReason(value: string, productionAccounts: readonly string[]): string | undefined {
    const match = /arn:aws[a-z-]*:iam::(\d{12}):role\/([\w+=,.@/-]+)/.exec(value);
    if (!match) return undefined;
    if (productionAccounts.includes(match[1])) return `an IAM role in the production account ${match[1]}`;
    if (match[2].split("/").some(part => mentionsProduction(part))) return "an IAM role named for production";
    return undefined;
}

const fix =
    "a staging job runs with staging's identity only: declare production's credentials in the production environment (behind its reviewers), and staging's own in staging";

export const githubProductionCredentialIsolation: ResourceValidationPolicy = {
    name: "github-production-credential-isolation",
    description:
        "No production credential is reachable from a staging job or a pull request: a staging environment, and the repository or organization level every job reads, hold no secret or variable named for production or naming production's AWS role.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "critical", topics: ["segregation", "access-control", "secrets", "github"] }),
    configSchema: {
        properties: {
            ...githubEnvironmentsSchema,
            productionAwsAccounts: {
                type: "array",
                items: { type: "string", pattern: "^\\d{12}$" },
                default: [],
                description: "AWS accounts production runs in: a role of theirs is a production credential.",
            },
        },
    },
    validateResource: [
        validateResourceOfType(github.ActionsEnvironmentSecret, (secret, args, reportViolation) => {
            const config = args.getConfig<ProductionCredentialConfig>();
            if (githubEnvironmentOf(secret.environment, config) !== "staging") return;
            const name = text(secret.secretName);
            const who = describeGithubEnvironment(secret.environment, secret.repository);
            // The name first: a secret's value may be unknown (a plan checked again without its secrets).
            if (mentionsProduction(name)) {
                reportViolation(`${who}: secret ${name} is named for production. Fix: ${fix}.`);
                return;
            }
            const reason = productionRoleReason(text(secret.value), config.productionAwsAccounts);
            if (reason) reportViolation(`${who}: secret ${name || `"${args.name}"`} holds ${reason}. Fix: ${fix}.`);
        }),
        validateResourceOfType(github.ActionsEnvironmentVariable, (variable, args, reportViolation) => {
            const config = args.getConfig<ProductionCredentialConfig>();
            if (githubEnvironmentOf(variable.environment, config) !== "staging") return;
            const name = text(variable.variableName);
            const who = describeGithubEnvironment(variable.environment, variable.repository);
            const reason = mentionsProduction(name)
                ? "is named for production"
                : productionRoleReason(text(variable.value), config.productionAwsAccounts);
            if (reason) {
                reportViolation(
                    `${who}: variable ${name || `"${args.name}"`} ${reason.startsWith("is") ? reason : `holds ${reason}`}. Fix: ${fix}.`,
                );
            }
        }),
        // Repository and organization level: every job reads them, the staging job and pull requests' previews included.
        ...(
            [
                [github.ActionsSecret, "secretName", "Repository-level Actions secret"],
                [github.ActionsVariable, "variableName", "Repository-level Actions variable"],
                [github.ActionsOrganizationSecret, "secretName", "Organization-level Actions secret"],
                [github.ActionsOrganizationVariable, "variableName", "Organization-level Actions variable"],
            ] as const
        ).map(([resourceClass, field, label]) =>
            validateResourceOfType(resourceClass as typeof github.ActionsSecret, (props, args, reportViolation) => {
                const config = args.getConfig<ProductionCredentialConfig>();
                const record = props as unknown as Record<string, unknown>;
                const name = text(record[field]);
                const reason = mentionsProduction(name)
                    ? "is named for production"
                    : field === "variableName"
                      ? productionRoleReason(text(record.value), config.productionAwsAccounts)
                      : undefined;
                if (!reason) return;
                reportViolation(
                    `${label} ${name || `"${args.name}"`} ${reason.startsWith("is") ? reason : `holds ${reason}`}: every workflow job reads it, the staging job and pull requests' previews included. ` +
                        "Fix: move it to the production environment (github.ActionsEnvironmentSecret / ActionsEnvironmentVariable), where only approved production jobs read it.",
                );
            }),
        ),
    ],
};
