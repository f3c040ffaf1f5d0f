import { z } from "zod";
import { ciRoleName, roleArn, stateBackendUrl } from "../../components/ciIdentities";
import { EnvironmentName, environments } from "../../platform";
import { driftEnvironmentOf } from "../../platform/delivery";
import { ConfigProblem } from "./errors";
import { DockerHostConfig } from "./dockerHost";
import { EksConfig } from "./eks";
import { ReleaseEvidenceConfig } from "./releaseEvidence";

const bucketName = z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "an S3 bucket name (3 to 63 lowercase letters, digits, '.', '-')" })
    .meta({ title: "S3 bucket name" });

/** The identities CI runs as in the stack's AWS account (components/ciIdentities, docs/ci-identities.md). */
export const ciSchema = z
    .strictObject({
        accountId: z
            .string({ error: 'the stack\'s 12-digit AWS account ID as a quoted string, e.g. "111122223333"' })
            .regex(/^\d{12}$/, {
                error: 'the stack\'s 12-digit AWS account ID as a quoted string, e.g. "111122223333"',
            })
            .meta({
                title: "12 digits, quoted",
                description:
                    "The stack's own AWS account (staging `111122223333`, production `444455556666`): its GitHub OIDC provider, CI roles and state key are declared there. `eks.adminRoleArns` must include the deploy role and name no role of another account; production's `releaseEvidence.store` must be in this account and list the deploy role among its readers.",
            }),
        stateBucket: bucketName.describe(
            "The bucket of this stack's Pulumi state (created at bootstrap, in this account); the environment's `PULUMI_BACKEND_URL` is `s3://<stateBucket>?region=<eks.region>`. The deploy role writes only this stack's keys in it.",
        ),
        deploySessionSeconds: z
            .number()
            .int()
            .min(3600)
            .max(43200)
            .default(7200)
            .describe(
                "The deploy role's longest session, in seconds, and the workflow's `role-duration-seconds`: it outlives the job's `timeout-minutes` (a test pins the three), so no update or rollback runs on expired credentials. Production: `10800` (the promotion walks ~40 min of watches plus one update per step, inside a 150-minute job).",
            ),
        pullRequestPreview: z
            .boolean()
            .default(false)
            .describe(
                "Declare the read-only preview role this repository's pull requests assume (staging). Refused in production: a pull request's code never reads production's state.",
            ),
        stagingStateBucket: bucketName
            .optional()
            .describe(
                "Production only, required there: staging's state bucket, which the production deploy role reads (not writes) for the promotion gate; must differ from `stateBucket`.",
            ),
    })
    .describe("Who CI runs as in the stack's AWS account, and where the stack's state lives.");
export type CiConfig = z.infer<typeof ciSchema>;

/** The ARNs of the stack's CI roles, from config alone. */
export function ciRoleArns(project: string, stack: string, ci: CiConfig) {
    return {
        deploy: roleArn(ci.accountId, ciRoleName(project, "deploy", stack)),
        drift: roleArn(ci.accountId, ciRoleName(project, "drift", stack)),
        preview: ci.pullRequestPreview ? roleArn(ci.accountId, ciRoleName(project, "preview", stack)) : undefined,
    };
}

/** The Actions variables the workflows read (`vars.X`), each set by the program where a job needs it. */
export const CI_VARIABLES = {
    region: "AWS_REGION",
    deployRole: "AWS_DEPLOY_ROLE_ARN",
    driftRole: "AWS_DRIFT_ROLE_ARN",
    previewRole: "AWS_PREVIEW_ROLE_ARN",
    backend: "PULUMI_BACKEND_URL",
    stagingBackend: "STAGING_PULUMI_BACKEND_URL",
    appRepository: "APP_REPOSITORY",
    promotionRecords: "PROMOTION_RECORDS_URI",
} as const;

/**
 * What each kind of job reads, by where it runs: the deploy job in the stack's environment, the drift
 * check in `<stack>-drift`, a pull request's preview at the repository level (it runs in no environment,
 * so its token's subject is the pull request's).
 */
export function ciVariables(
    project: string,
    stack: EnvironmentName,
    ci: CiConfig,
    region: string,
    github: { owner: string; application?: string },
    evidence?: { bucketName: string; recordsPrefix: string },
) {
    const roles = ciRoleArns(project, stack, ci);
    const backend = stateBackendUrl(ci.stateBucket, region);
    return {
        deploy: {
            [CI_VARIABLES.region]: region,
            [CI_VARIABLES.deployRole]: roles.deploy,
            [CI_VARIABLES.backend]: backend,
            ...(ci.stagingStateBucket ? { [CI_VARIABLES.stagingBackend]: stateBackendUrl(ci.stagingStateBucket, region) } : {}),
            ...(github.application && !environments[stack].production
                ? { [CI_VARIABLES.appRepository]: `${github.owner}/${github.application}` }
                : {}),
            ...(evidence ? { [CI_VARIABLES.promotionRecords]: `s3://${evidence.bucketName}/${evidence.recordsPrefix}/` } : {}),
        },
        drift: {
            environment: driftEnvironmentOf(stack),
            variables: { [CI_VARIABLES.region]: region, [CI_VARIABLES.driftRole]: roles.drift, [CI_VARIABLES.backend]: backend },
        },
        pullRequest: roles.preview
            ? { [CI_VARIABLES.region]: region, [CI_VARIABLES.previewRole]: roles.preview, [CI_VARIABLES.backend]: backend }
            : undefined,
    };
}

const accountOf = (arn: string) => arn.split(":")[4];

export function ciRules(
    key: string,
    project: string,
    environment: EnvironmentName,
    ci: CiConfig,
    sections: {
        eks?: EksConfig;
        releaseEvidence?: ReleaseEvidenceConfig;
        dockerHost?: DockerHostConfig;
        eksKey: string;
        releaseEvidenceKey: string;
        dockerHostKey: string;
    },
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const production = environments[environment].production;
    const roles = ciRoleArns(project, environment, ci);
    if (production && ci.pullRequestPreview) {
        problems.push({
            key: `${key}.pullRequestPreview`,
            expected:
                "false: a pull request's code never reads production (its state decrypts the live broker keys); pull requests get production's offline plan",
            found: "true",
        });
    }
    if (production && !ci.stagingStateBucket) {
        problems.push({
            key: `${key}.stagingStateBucket`,
            expected: "staging's state bucket: the promotion gate reads staging's history and outputs from it",
            found: "nothing (the key is not set)",
        });
    }
    if (!production && ci.stagingStateBucket) {
        problems.push({
            key: `${key}.stagingStateBucket`,
            expected: "no stagingStateBucket: only production reads another stack's state",
            found: JSON.stringify(ci.stagingStateBucket),
        });
    }
    if (ci.stagingStateBucket && ci.stagingStateBucket === ci.stateBucket) {
        problems.push({
            key: `${key}.stateBucket`,
            expected: "a bucket of production's own, not staging's: a role that reaches staging's state must never reach production's",
            found: JSON.stringify(ci.stateBucket),
        });
    }
    if (sections.eks) {
        // The update applies Kubernetes objects as the deploy role; a cluster admin of another account is a typo or a leak.
        if (!sections.eks.adminRoleArns.includes(roles.deploy)) {
            problems.push({
                key: `${sections.eksKey}.adminRoleArns`,
                expected: `to include the deploy role ${roles.deploy} (the update applies Kubernetes objects as it)`,
                found: JSON.stringify(sections.eks.adminRoleArns),
            });
        }
        sections.eks.adminRoleArns.forEach((arn, i) => {
            if (accountOf(arn) !== ci.accountId) {
                problems.push({
                    key: `${sections.eksKey}.adminRoleArns.${i}`,
                    expected: `a role of the stack's account ${ci.accountId} (ci.accountId)`,
                    found: JSON.stringify(arn),
                });
            }
        });
    }
    const docker = sections.dockerHost;
    const user = docker && /^ssh:\/\/([^@]+)@/.exec(docker.host)?.[1];
    if (docker && user !== docker.namespace) {
        // Docker's API has no per-container permissions: whoever reaches a daemon controls all it runs.
        problems.push({
            key: `${sections.dockerHostKey}.host`,
            expected: `the namespace's own user (ssh://${docker.namespace}@…), whose rootless Docker daemon runs this namespace only, so this stack's key reaches no other namespace`,
            found: JSON.stringify(user ?? docker.host),
        });
    }
    const store = sections.releaseEvidence?.store;
    if (store) {
        if (store.accountId !== ci.accountId) {
            problems.push({
                key: `${sections.releaseEvidenceKey}.store.accountId`,
                expected: `the stack's account ${ci.accountId} (ci.accountId)`,
                found: JSON.stringify(store.accountId),
            });
        }
        if (!store.readerRoleArns.includes(roles.deploy)) {
            problems.push({
                key: `${sections.releaseEvidenceKey}.store.readerRoleArns`,
                expected: `to include the deploy role ${roles.deploy} (the promotion gate syncs evidence as it)`,
                found: JSON.stringify(store.readerRoleArns),
            });
        }
    }
    return problems;
}
