import * as aws from "@pulumi/aws";
import { CiIdentities } from "../components/ciIdentities";
import { StackConfig } from "./config";
import { drillInstanceIdentifier } from "./config/data";
import { fromConfig } from "./configSource";

/**
 * The identities CI runs as in the stack's account (docs/ci-identities.md). Every name the policies use
 * comes from config, so a preview shows them whole; an administrator applies changes to them
 * (docs/runbook.md, "Bootstrap"), since no deploy role may change a CI identity.
 */
export function declareCiIdentities(config: StackConfig, awsProvider: aws.Provider): CiIdentities {
    const { ci, data, eks } = config;
    const evidence = config.releaseEvidence?.store;
    return fromConfig(
        "ci",
        new CiIdentities(
            "ci",
            {
                project: config.project,
                stack: config.stack,
                accountId: ci.accountId,
                region: eks.region,
                github: { owner: config.github.owner, repository: config.github.repositories.infrastructure },
                deploySessionSeconds: ci.deploySessionSeconds,
                stateBucket: ci.stateBucket,
                readsState: ci.stagingStateBucket ? [{ bucket: ci.stagingStateBucket, project: config.project, stack: "staging" }] : [],
                pullRequestPreview: ci.pullRequestPreview,
                deploy: {
                    clusterName: eks.clusterName,
                    buckets: [data.buckets.catalogs.name, data.buckets.backups.name, ...(evidence ? [evidence.bucketName] : [])],
                    // The drill's identifier is granted before the drill is switched on: switching it on needs no administrator.
                    databases: [
                        data.postgres.identifier,
                        drillInstanceIdentifier(data.restoreDrill?.sourceInstanceIdentifier ?? data.postgres.identifier),
                    ],
                    replicationGroups: [data.redis.replicationGroupId],
                    evidence: evidence && { bucket: evidence.bucketName, prefix: evidence.prefix, recordsPrefix: evidence.recordsPrefix },
                },
                tags: { environment: config.stack },
            },
            { providers: { aws: awsProvider } },
        ),
    );
}
