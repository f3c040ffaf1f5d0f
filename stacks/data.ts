import * as pulumi from "@pulumi/pulumi";
import { EksPlatform } from "../components/eksPlatform";
import { RdsPostgres } from "../components/rdsPostgres";
import { RedisCache } from "../components/redisCache";
import { SecureBucket } from "../components/secureBucket";
import { environments } from "../platform";
import { StackConfig } from "./config";
import { drillInstanceIdentifier } from "./config/data";
import { fromConfig } from "./configSource";

/**
 * The stack's data services, from `data`, in the platform's VPC: PostgreSQL, Redis, the catalogs and
 * backups buckets, and the restore drill's instance while `data.restoreDrill.enabled` is on.
 */
export function declareData(config: StackConfig, platform: EksPlatform, opts: pulumi.ComponentResourceOptions) {
    const { data } = config;
    const tags = { environment: config.stack };
    const production = environments[config.stack].production;
    const network = {
        vpcId: platform.vpcId,
        subnetIds: platform.privateSubnetIds,
        clientSecurityGroupIds: [platform.clusterSecurityGroupId],
    };

    const postgres = fromConfig(
        "data.postgres",
        new RdsPostgres(data.postgres.identifier, { ...data.postgres, ...network, protected: production, tags }, opts),
    );
    const redis = fromConfig(
        "data.redis",
        new RedisCache(data.redis.replicationGroupId, { ...data.redis, ...network, authToken: config.secrets.redisAuthToken, tags }, opts),
    );
    const buckets = {
        catalogs: fromConfig(
            "data.buckets.catalogs",
            new SecureBucket(
                data.buckets.catalogs.name,
                { bucketName: data.buckets.catalogs.name, purpose: "strategy and data catalogs", lifecycle: data.buckets.catalogs, tags },
                opts,
            ),
        ),
        backups: fromConfig(
            "data.buckets.backups",
            new SecureBucket(
                data.buckets.backups.name,
                {
                    bucketName: data.buckets.backups.name,
                    purpose: "TimescaleDB and catalog backups",
                    lifecycle: data.buckets.backups,
                    tags,
                },
                opts,
            ),
        ),
    };

    // Switch off and the next update deletes the drill's instance (and its security group and key).
    const drill = data.restoreDrill?.enabled
        ? fromConfig(
              "data.restoreDrill",
              new RdsPostgres(
                  drillInstanceIdentifier(data.restoreDrill.sourceInstanceIdentifier),
                  {
                      ...data.postgres,
                      identifier: drillInstanceIdentifier(data.restoreDrill.sourceInstanceIdentifier),
                      instanceClass: data.restoreDrill.instanceClass ?? data.postgres.instanceClass,
                      ...network,
                      protected: false,
                      restore: {
                          sourceInstanceIdentifier: data.restoreDrill.sourceInstanceIdentifier,
                          restoreTime: data.restoreDrill.restoreTime,
                      },
                      tags: { ...tags, purpose: "restore-drill" },
                  },
                  { ...opts, dependsOn: [postgres] },
              ),
          )
        : undefined;
    return { postgres, redis, buckets, drill };
}
