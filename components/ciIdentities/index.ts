import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { driftEnvironmentOf, GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_ISSUER_URL } from "../../platform/delivery";
import {
    ciRoleName,
    DeployScope,
    deployPolicy,
    githubTrustPolicy,
    noDataReadsPolicy,
    roleArn,
    StateLocation,
    stateKeyAlias,
    stateKeyPolicy,
    stateReadStatements,
    stateSecretsProvider,
    stateWriteStatements,
} from "./policies";

export * from "./policies";

/** AWS's managed read-only policy: it follows new services' read calls, so a refresh keeps working. */
export const READ_ONLY_ACCESS_POLICY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess";

export interface CiIdentitiesArgs {
    project: string;
    /** The stack these identities deploy; its GitHub environment has the same name. */
    stack: string;
    /** The stack's AWS account: its GitHub OIDC provider, roles and state key live there. */
    accountId: string;
    region: string;
    /** This infrastructure repository: only its jobs may assume the roles. */
    github: { owner: string; repository: string };
    /** Longest session the deploy role grants, in seconds: it must outlive the longest deploy job. */
    deploySessionSeconds: number;
    /** The bucket of this stack's state (a DIY S3 backend in this account). */
    stateBucket: string;
    /** Other stacks' state the deploy role reads (production: staging's, for the promotion gate). */
    readsState: StateLocation[];
    /** Declare the read-only role pull requests preview with. */
    pullRequestPreview: boolean;
    /** What the stack's update manages. */
    deploy: Omit<DeployScope, "project" | "stack" | "accountId" | "region">;
    tags: Record<string, string>;
}

/**
 * The identities CI runs as in one environment's AWS account: GitHub's OIDC provider; a deploy role only
 * jobs in the stack's GitHub environment can assume, with what the stack's update needs; a read-only
 * drift role for the scheduled drift check (its own GitHub environment, main only); optionally a
 * read-only preview role for this repository's pull requests; and the KMS key the stack's state secrets
 * are encrypted with, usable by those roles only. Trust policies are built from config values, so a
 * preview shows them whole.
 */
export class CiIdentities extends pulumi.ComponentResource {
    readonly deployRoleArn: string;
    readonly driftRoleArn: string;
    readonly previewRoleArn?: string;
    /** `awskms://alias/<project>-state-<stack>?region=…`: the stack's secrets provider after bootstrap. */
    readonly stateSecretsProvider: string;

    constructor(name: string, args: CiIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:ci:CiIdentities", name, {}, opts);
        const parent = { parent: this };
        const { accountId, project, stack } = args;
        const own: StateLocation = { bucket: args.stateBucket, project, stack };

        const provider = new aws.iam.OpenIdConnectProvider(
            `${name}-github`,
            { url: GITHUB_OIDC_ISSUER_URL, clientIdLists: [GITHUB_OIDC_AUDIENCE], tags: args.tags },
            parent,
        );
        const trusting = { parent: this, dependsOn: [provider] };
        const role = (
            kind: "deploy" | "drift" | "preview",
            context: { environment: string } | "pull_request",
            maxSessionDuration: number,
        ) =>
            new aws.iam.Role(
                `${name}-${kind}`,
                {
                    name: ciRoleName(project, kind, stack),
                    description: `GitHub Actions of ${args.github.owner}/${args.github.repository}: ${kind} ${stack}`,
                    assumeRolePolicy: JSON.stringify(
                        githubTrustPolicy({ accountId, owner: args.github.owner, repository: args.github.repository, context }),
                    ),
                    maxSessionDuration,
                    tags: args.tags,
                },
                trusting,
            );

        const deploy = role("deploy", { environment: stack }, args.deploySessionSeconds);
        new aws.iam.RolePolicy(
            `${name}-deploy-platform`,
            { role: deploy.name, policy: JSON.stringify(deployPolicy({ ...args.deploy, project, stack, accountId, region: args.region })) },
            parent,
        );
        new aws.iam.RolePolicy(
            `${name}-deploy-state`,
            {
                role: deploy.name,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        ...stateWriteStatements(own),
                        ...args.readsState.flatMap(state => stateReadStatements(state, `ReadStateOf${capitalised(state.stack)}`)),
                    ],
                }),
            },
            parent,
        );

        const readOnly = (kind: "drift" | "preview", context: { environment: string } | "pull_request") => {
            const reader = role(kind, context, 3600);
            new aws.iam.RolePolicyAttachment(
                `${name}-${kind}-read-only`,
                { role: reader.name, policyArn: READ_ONLY_ACCESS_POLICY_ARN },
                parent,
            );
            new aws.iam.RolePolicy(
                `${name}-${kind}-no-data-reads`,
                { role: reader.name, policy: JSON.stringify(noDataReadsPolicy(own)) },
                parent,
            );
            new aws.iam.RolePolicy(
                `${name}-${kind}-state`,
                { role: reader.name, policy: JSON.stringify({ Version: "2012-10-17", Statement: stateReadStatements(own, "OwnState") }) },
                parent,
            );
            return reader;
        };
        const drift = readOnly("drift", { environment: driftEnvironmentOf(stack) });
        const preview = args.pullRequestPreview ? readOnly("preview", "pull_request") : undefined;

        this.deployRoleArn = roleArn(accountId, ciRoleName(project, "deploy", stack));
        this.driftRoleArn = roleArn(accountId, ciRoleName(project, "drift", stack));
        this.previewRoleArn = preview ? roleArn(accountId, ciRoleName(project, "preview", stack)) : undefined;

        // KMS refuses a key policy naming a principal that does not exist yet: the roles come first.
        const key = new aws.kms.Key(
            `${name}-state`,
            {
                description: `Secrets in the Pulumi state of ${project}/${stack}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: JSON.stringify(
                    stateKeyPolicy(accountId, this.deployRoleArn, [
                        this.driftRoleArn,
                        ...(this.previewRoleArn ? [this.previewRoleArn] : []),
                    ]),
                ),
                tags: args.tags,
            },
            { parent: this, dependsOn: [deploy, drift, ...(preview ? [preview] : [])] },
        );
        new aws.kms.Alias(`${name}-state`, { name: stateKeyAlias(project, stack), targetKeyId: key.keyId }, parent);
        this.stateSecretsProvider = stateSecretsProvider(project, stack, args.region);

        this.registerOutputs({
            deployRoleArn: this.deployRoleArn,
            driftRoleArn: this.driftRoleArn,
            previewRoleArn: this.previewRoleArn,
            stateSecretsProvider: this.stateSecretsProvider,
        });
    }
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
