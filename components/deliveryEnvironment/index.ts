import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

export interface DeliveryEnvironmentArgs {
    repository: string;
    /** GitHub environment name (`staging`, `production`). */
    environment: string;
    /** Team slugs whose approval each deployment waits for; resolved to the numeric ids GitHub needs. */
    reviewerTeams: string[];
    waitTimerMinutes: number;
    preventSelfReview: boolean;
    canAdminsBypass: boolean;
    /** Branches allowed to deploy. */
    deploymentBranches: string[];
    /** Tag patterns allowed to deploy. */
    deploymentTags: string[];
    /** Environment secrets by name; values stay Pulumi secrets. */
    secrets: Record<string, pulumi.Input<string>>;
    /** Plain environment variables by name. */
    variables: Record<string, string>;
}

/** A ref pattern as a resource-name suffix: `v*` becomes `v-2a`, `release/*` becomes `release-2f-2a`. */
export function refSuffix(pattern: string): string {
    return pattern.replace(/[^A-Za-z0-9._-]/g, c => `-${c.charCodeAt(0).toString(16)}`);
}

/**
 * A GitHub deployment environment and what gates it: required reviewers, wait timer, which refs may
 * deploy, and the secrets and variables only jobs running in it can read.
 */
export class DeliveryEnvironment extends pulumi.ComponentResource {
    readonly environmentName: pulumi.Output<string>;
    /** Numeric ids of the reviewer teams. */
    readonly reviewerTeamIds: pulumi.Output<number[]>;

    constructor(name: string, args: DeliveryEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:github:DeliveryEnvironment", name, {}, opts);
        const parent = { parent: this };
        this.reviewerTeamIds = pulumi
            .all(args.reviewerTeams.map(slug => github.getTeamOutput({ slug }, parent).id))
            .apply(ids => ids.map(Number));

        const environment = new github.RepositoryEnvironment(
            name,
            {
                repository: args.repository,
                environment: args.environment,
                waitTimer: args.waitTimerMinutes,
                preventSelfReview: args.preventSelfReview,
                canAdminsBypass: args.canAdminsBypass,
                reviewers: args.reviewerTeams.length > 0 ? [{ teams: this.reviewerTeamIds }] : [],
                // Only the refs listed below may deploy; "protected branches" would let any of them.
                deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
            },
            parent,
        );
        const inEnvironment = { repository: args.repository, environment: environment.environment };

        for (const branch of args.deploymentBranches) {
            new github.RepositoryEnvironmentDeploymentPolicy(
                `${name}-branch-${refSuffix(branch)}`,
                { ...inEnvironment, branchPattern: branch },
                parent,
            );
        }
        for (const tag of args.deploymentTags) {
            new github.RepositoryEnvironmentDeploymentPolicy(
                `${name}-tag-${refSuffix(tag)}`,
                { ...inEnvironment, tagPattern: tag },
                parent,
            );
        }
        for (const [secretName, value] of Object.entries(args.secrets)) {
            new github.ActionsEnvironmentSecret(
                `${name}-${secretName}`,
                { ...inEnvironment, secretName, value: pulumi.secret(value) },
                parent,
            );
        }
        for (const [variableName, value] of Object.entries(args.variables)) {
            new github.ActionsEnvironmentVariable(`${name}-${variableName}`, { ...inEnvironment, variableName, value }, parent);
        }

        this.environmentName = environment.environment;
        this.registerOutputs({ environmentName: this.environmentName, reviewerTeamIds: this.reviewerTeamIds });
    }
}
