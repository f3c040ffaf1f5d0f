// Who may do what as CI, as pure policy documents: the component declares them, tests and the pack read
// them. Every string here is known at preview (account, region, names from config, GitHub's provider
// URL), never a resource output, so `pulumi preview --policy-pack` judges each trust policy in every
// pull request. docs/ci-identities.md explains each decision.

import { environmentSubject, GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, pullRequestSubject } from "../../platform/delivery";

export type Statement = Record<string, unknown>;
export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}
const document = (statements: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** The three CI identities of a stack, by what they may do. */
export type CiRoleKind = "deploy" | "drift" | "preview";

/** `trading-platform-deploy-staging`: the role name of a kind for a stack (eks.adminRoleArns and the evidence store name it). */
export function ciRoleName(project: string, kind: CiRoleKind, stack: string): string {
    return `${project}-${kind}-${stack}`;
}

export function roleArn(accountId: string, roleName: string): string {
    return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** The IAM identity provider AWS creates for GitHub's issuer: one per account, named by the issuer's host. */
export function githubProviderArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/** The alias of the KMS key a stack's state secrets are encrypted with (its `awskms://` secrets provider). */
export function stateKeyAlias(project: string, stack: string): string {
    return `alias/${project}-state-${stack}`;
}

/** The secrets provider URL `pulumi stack change-secrets-provider` takes for the stack's state key. */
export function stateSecretsProvider(project: string, stack: string, region: string): string {
    return `awskms://${stateKeyAlias(project, stack)}?region=${region}`;
}

/** The backend URL of a state bucket (a DIY S3 backend). */
export function stateBackendUrl(bucket: string, region: string): string {
    return `s3://${bucket}?region=${region}`;
}

/** Who may assume a role: GitHub tokens for exactly one repository and one context, for AWS's audience. */
export interface GithubTrust {
    accountId: string;
    owner: string;
    repository: string;
    /** A GitHub environment (`staging`, `production-drift`), or the repository's pull requests. */
    context: { environment: string } | "pull_request";
}

export function githubSubject(trust: GithubTrust): string {
    return trust.context === "pull_request"
        ? pullRequestSubject(trust.owner, trust.repository)
        : environmentSubject(trust.owner, trust.repository, trust.context.environment);
}

/**
 * The trust policy of a CI role. StringEquals on both claims: no wildcard, so no other repository,
 * branch, environment or pull request of anyone's repository gets in.
 */
export function githubTrustPolicy(trust: GithubTrust): PolicyDocument {
    return document([
        {
            Sid: "GithubActionsOfThisRepository",
            Effect: "Allow",
            Principal: { Federated: githubProviderArn(trust.accountId) },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: githubSubject(trust) },
            },
        },
    ]);
}

/**
 * Object keys of one stack in a DIY S3 backend (pulumi/pulumi pkg/backend/diy: project-scoped stacks):
 * the checkpoint and its `.bak`, the update history, the backups, and the lock files (under the
 * stack's fully qualified name, `organization/<project>/<stack>`).
 */
export function stateObjectKeys(project: string, stack: string) {
    return {
        checkpoint: `.pulumi/stacks/${project}/${stack}.json*`,
        history: `.pulumi/history/${project}/${stack}/*`,
        backups: `.pulumi/backups/${project}/${stack}/*`,
        locks: `.pulumi/locks/organization/${project}/${stack}/*`,
        meta: ".pulumi/meta.yaml",
    };
}

/** A stack's state in a bucket, for policies that read or write it. */
export interface StateLocation {
    bucket: string;
    project: string;
    stack: string;
}

const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

/** Read the stack's checkpoint and history (a preview takes no lock on a DIY backend and writes nothing). */
export function stateReadStatements(state: StateLocation, sid: string): Statement[] {
    const keys = stateObjectKeys(state.project, state.stack);
    return [
        { Sid: `${sid}List`, Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: `arn:aws:s3:::${state.bucket}` },
        {
            Sid: `${sid}Read`,
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: [keys.checkpoint, keys.history, keys.meta].map(k => objectArn(state.bucket, k)),
        },
    ];
}

/** Read and write the stack's checkpoint, history, backups and locks: an update. */
export function stateWriteStatements(state: StateLocation): Statement[] {
    const keys = stateObjectKeys(state.project, state.stack);
    return [
        ...stateReadStatements(state, "OwnState"),
        {
            Sid: "OwnStateWrite",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: [keys.checkpoint, keys.history, keys.backups, keys.locks].map(k => objectArn(state.bucket, k)),
        },
    ];
}

/** What a stack's update manages, by the names its config gives them. */
export interface DeployScope {
    project: string;
    stack: string;
    accountId: string;
    region: string;
    clusterName: string;
    /** S3 buckets the stack declares (data buckets, the evidence store). */
    buckets: string[];
    /** RDS instance identifiers (the database and, while on, the restore drill's). */
    databases: string[];
    /** ElastiCache replication group ids. */
    replicationGroups: string[];
    /** Release evidence the promotion gate reads (production): bucket and prefix; and where the promote job keeps its records. */
    evidence?: { bucket: string; prefix: string; recordsPrefix: string };
}

/** The CI identities of a project in an account, which no deploy may change (docs/ci-identities.md). */
function ciIdentityArns(scope: Pick<DeployScope, "project" | "accountId">): string[] {
    return [
        ...(["deploy", "drift", "preview"] as const).map(kind => `arn:aws:iam::${scope.accountId}:role/${scope.project}-${kind}-*`),
        githubProviderArn(scope.accountId),
    ];
}

/**
 * The permissions of a stack's update, beyond its state. Scoped by the names config gives (the cluster,
 * the buckets, the databases, the cache) where AWS authorizes by them; broad where it cannot:
 * - EC2 (VPC, subnets, routes, NAT, security groups): create calls name no resource that exists yet,
 *   so they are held to the stack's region instead;
 * - IAM roles, policies and OIDC providers: the stack creates the cluster's, the nodes' and the add-ons'
 *   roles under generated names. A principal that may create roles is an administrator of its account in
 *   effect, which is why each environment has its own account; the CI identities themselves are denied;
 * - KMS: CreateKey names no key; key use is only through the AWS services that need it (kms:ViaService).
 */
export function deployPolicy(scope: DeployScope): PolicyDocument {
    const { accountId: account, region } = scope;
    const inRegion = { StringEquals: { "aws:RequestedRegion": region } };
    const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`;
    const statements: Statement[] = [
        {
            Sid: "Network",
            Effect: "Allow",
            Action: [
                "ec2:Describe*",
                "ec2:CreateVpc",
                "ec2:DeleteVpc",
                "ec2:ModifyVpcAttribute",
                "ec2:CreateSubnet",
                "ec2:DeleteSubnet",
                "ec2:ModifySubnetAttribute",
                "ec2:CreateInternetGateway",
                "ec2:AttachInternetGateway",
                "ec2:DetachInternetGateway",
                "ec2:DeleteInternetGateway",
                "ec2:AllocateAddress",
                "ec2:ReleaseAddress",
                "ec2:CreateNatGateway",
                "ec2:DeleteNatGateway",
                "ec2:CreateRouteTable",
                "ec2:DeleteRouteTable",
                "ec2:CreateRoute",
                "ec2:ReplaceRoute",
                "ec2:DeleteRoute",
                "ec2:AssociateRouteTable",
                "ec2:DisassociateRouteTable",
                "ec2:CreateSecurityGroup",
                "ec2:DeleteSecurityGroup",
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:AuthorizeSecurityGroupEgress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupEgress",
                "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
                "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
                "ec2:CreateTags",
                "ec2:DeleteTags",
            ],
            Resource: "*",
            Condition: inRegion,
        },
        {
            Sid: "Cluster",
            Effect: "Allow",
            Action: "eks:*",
            Resource: [
                arn("eks", `cluster/${scope.clusterName}`),
                arn("eks", `nodegroup/${scope.clusterName}/*`),
                arn("eks", `addon/${scope.clusterName}/*`),
                arn("eks", `access-entry/${scope.clusterName}/*`),
                arn("eks", `podidentityassociation/${scope.clusterName}/*`),
            ],
        },
        {
            Sid: "ClusterCatalogue",
            Effect: "Allow",
            Action: [
                "eks:DescribeAddonVersions",
                "eks:DescribeAddonConfiguration",
                "eks:DescribeClusterVersions",
                "eks:ListAccessPolicies",
                "eks:ListClusters",
            ],
            Resource: "*",
        },
        {
            Sid: "ClusterLogs",
            Effect: "Allow",
            Action: [
                "logs:CreateLogGroup",
                "logs:DeleteLogGroup",
                "logs:PutRetentionPolicy",
                "logs:DeleteRetentionPolicy",
                "logs:TagResource",
                "logs:UntagResource",
                "logs:ListTagsForResource",
                "logs:AssociateKmsKey",
            ],
            Resource: [arn("logs", `log-group:/aws/eks/${scope.clusterName}/*`)],
        },
        { Sid: "LogCatalogue", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
        {
            Sid: "Identities",
            Effect: "Allow",
            Action: [
                "iam:CreateRole",
                "iam:DeleteRole",
                "iam:GetRole",
                "iam:UpdateRole",
                "iam:UpdateAssumeRolePolicy",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:PutRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:GetRolePolicy",
                "iam:ListRolePolicies",
                "iam:AttachRolePolicy",
                "iam:DetachRolePolicy",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
                "iam:CreatePolicy",
                "iam:DeletePolicy",
                "iam:CreatePolicyVersion",
                "iam:DeletePolicyVersion",
                "iam:GetPolicy",
                "iam:GetPolicyVersion",
                "iam:ListPolicyVersions",
                "iam:TagPolicy",
                "iam:UntagPolicy",
                "iam:CreateOpenIDConnectProvider",
                "iam:DeleteOpenIDConnectProvider",
                "iam:GetOpenIDConnectProvider",
                "iam:UpdateOpenIDConnectProviderThumbprint",
                "iam:AddClientIDToOpenIDConnectProvider",
                "iam:RemoveClientIDFromOpenIDConnectProvider",
                "iam:TagOpenIDConnectProvider",
                "iam:UntagOpenIDConnectProvider",
            ],
            Resource: [`arn:aws:iam::${account}:role/*`, `arn:aws:iam::${account}:policy/*`, `arn:aws:iam::${account}:oidc-provider/*`],
        },
        {
            Sid: "PassRolesToTheCluster",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: `arn:aws:iam::${account}:role/*`,
            Condition: { StringEquals: { "iam:PassedToService": ["eks.amazonaws.com", "ec2.amazonaws.com"] } },
        },
        {
            Sid: "ServiceLinkedRoles",
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: "*",
            Condition: {
                StringEquals: {
                    "iam:AWSServiceName": [
                        "eks.amazonaws.com",
                        "eks-nodegroup.amazonaws.com",
                        "rds.amazonaws.com",
                        "elasticache.amazonaws.com",
                        "autoscaling.amazonaws.com",
                    ],
                },
            },
        },
        { Sid: "KeyCreation", Effect: "Allow", Action: ["kms:CreateKey", "kms:ListAliases", "kms:ListKeys"], Resource: "*" },
        {
            Sid: "KeyManagement",
            Effect: "Allow",
            Action: [
                "kms:DescribeKey",
                "kms:GetKeyPolicy",
                "kms:PutKeyPolicy",
                "kms:GetKeyRotationStatus",
                "kms:EnableKeyRotation",
                "kms:DisableKeyRotation",
                "kms:UpdateKeyDescription",
                "kms:ListResourceTags",
                "kms:TagResource",
                "kms:UntagResource",
                "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion",
                "kms:CreateAlias",
                "kms:UpdateAlias",
                "kms:DeleteAlias",
            ],
            Resource: [arn("kms", "key/*"), arn("kms", "alias/*")],
        },
        {
            Sid: "KeysThroughServicesOnly",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
            Resource: arn("kms", "key/*"),
            Condition: {
                StringEquals: {
                    "kms:ViaService": ["eks", "rds", "elasticache", "secretsmanager", "s3", "ec2"].map(s => `${s}.${region}.amazonaws.com`),
                },
            },
        },
        {
            Sid: "Databases",
            Effect: "Allow",
            Action: "rds:*",
            Resource: [
                ...scope.databases.map(id => arn("rds", `db:${id}`)),
                arn("rds", "subgrp:*"),
                arn("rds", "pg:*"),
                arn("rds", "og:*"),
                arn("rds", "snapshot:*"),
            ],
        },
        { Sid: "DatabaseCatalogue", Effect: "Allow", Action: ["rds:Describe*", "rds:ListTagsForResource"], Resource: "*" },
        {
            Sid: "RdsManagedMasterSecrets",
            Effect: "Allow",
            Action: [
                "secretsmanager:CreateSecret",
                "secretsmanager:TagResource",
                "secretsmanager:DescribeSecret",
                "secretsmanager:RotateSecret",
                "secretsmanager:DeleteSecret",
            ],
            Resource: arn("secretsmanager", "secret:rds!*"),
        },
        {
            Sid: "Caches",
            Effect: "Allow",
            Action: "elasticache:*",
            Resource: [
                ...scope.replicationGroups.flatMap(id => [
                    arn("elasticache", `replicationgroup:${id}`),
                    arn("elasticache", `cluster:${id}-*`),
                ]),
                arn("elasticache", "subnetgroup:*"),
                arn("elasticache", "parametergroup:*"),
                arn("elasticache", "snapshot:*"),
            ],
        },
        { Sid: "CacheCatalogue", Effect: "Allow", Action: ["elasticache:Describe*", "elasticache:ListTagsForResource"], Resource: "*" },
        // Bucket ARNs only: the update configures its buckets and never reads or writes their objects.
        ...(scope.buckets.length > 0
            ? [{ Sid: "Buckets", Effect: "Allow", Action: "s3:*", Resource: scope.buckets.map(b => `arn:aws:s3:::${b}`) }]
            : []),
        ...(scope.evidence
            ? [
                  {
                      Sid: "EvidenceRead",
                      Effect: "Allow",
                      Action: ["s3:GetObject", "s3:GetObjectVersion"],
                      Resource: objectArn(scope.evidence.bucket, `${scope.evidence.prefix}/*`),
                  },
                  // The sync's listing (s3:ListBucket on the bucket) falls under "Buckets" above.
                  {
                      Sid: "PromotionRecordWrite",
                      Effect: "Allow",
                      Action: ["s3:PutObject"],
                      Resource: objectArn(scope.evidence.bucket, `${scope.evidence.recordsPrefix}/*`),
                  },
              ]
            : []),
        // Who may deploy is changed by an administrator (docs/ci-identities.md), never by a deploy: its own
        // role, the other CI roles, their trust in GitHub and the key the state is encrypted with.
        {
            Sid: "NoDeployChangesCiIdentities",
            Effect: "Deny",
            NotAction: ["iam:Get*", "iam:List*"],
            Resource: ciIdentityArns(scope),
        },
        {
            Sid: "NoDeployChangesStateKeys",
            Effect: "Deny",
            NotAction: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey", "kms:Get*", "kms:List*"],
            Resource: arn("kms", "key/*"),
            Condition: { "ForAnyValue:StringLike": { "kms:ResourceAliases": `alias/${scope.project}-state-*` } },
        },
        {
            Sid: "NoLongLivedKeys",
            Effect: "Deny",
            Action: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile"],
            Resource: "*",
        },
    ];
    return document(statements);
}

/**
 * What AWS's ReadOnlyAccess would read that a preview or a drift check never needs: object and secret
 * values, decryption with any key but the stack's state key, logs and table items.
 */
export function noDataReadsPolicy(state: StateLocation): PolicyDocument {
    const keys = stateObjectKeys(state.project, state.stack);
    return document([
        {
            Sid: "NoObjectReadsButTheState",
            Effect: "Deny",
            Action: ["s3:GetObject", "s3:GetObjectVersion"],
            NotResource: [keys.checkpoint, keys.history, keys.meta].map(k => objectArn(state.bucket, k)),
        },
        {
            Sid: "NoSecretValues",
            Effect: "Deny",
            Action: [
                "secretsmanager:GetSecretValue",
                "ssm:GetParameter",
                "ssm:GetParameters",
                "ssm:GetParametersByPath",
                "logs:GetLogEvents",
                "logs:FilterLogEvents",
                "logs:StartQuery",
                "logs:GetQueryResults",
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "lambda:GetFunction",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage",
            ],
            Resource: "*",
        },
        {
            Sid: "DecryptOnlyTheState",
            Effect: "Deny",
            Action: ["kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { "ForAllValues:StringNotEquals": { "kms:ResourceAliases": stateKeyAlias(state.project, state.stack) } },
        },
    ]);
}

/**
 * The state key's policy: the account's administrators manage it (and change the stack's secrets
 * provider with it at bootstrap); the deploy role encrypts and decrypts; the read-only roles decrypt.
 * No principal of another account is named, so nothing outside this environment's account can decrypt.
 */
export function stateKeyPolicy(accountId: string, deployRoleArn: string, readerRoleArns: string[]): PolicyDocument {
    return document([
        {
            Sid: "AccountAdministersKey",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        },
        {
            Sid: "DeployEncryptsState",
            Effect: "Allow",
            Principal: { AWS: deployRoleArn },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: "*",
        },
        {
            Sid: "ReadersDecryptState",
            Effect: "Allow",
            Principal: { AWS: readerRoleArns },
            Action: ["kms:Decrypt", "kms:DescribeKey"],
            Resource: "*",
        },
    ]);
}

/** IAM's size limit of one inline role policy, counted without whitespace. */
export const INLINE_POLICY_LIMIT = 10240;
