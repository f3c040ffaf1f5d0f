import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REDIS_PORT } from "../../platform/data";
import { redisAvailability } from "./rules";

export * from "./rules";

export interface RedisCacheArgs {
    /** Replication group id, e.g. `trading-staging-redis`. */
    replicationGroupId: string;
    /** Redis 7.x, e.g. "7.1". */
    engineVersion: string;
    nodeType: string;
    /** Primary plus replicas; two or more turn on automatic failover and Multi-AZ. */
    cacheClusters: number;
    snapshotRetentionDays: number;
    /** AUTH token, a Pulumi secret from config. */
    authToken: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    /** Security groups admitted on 6379 (the cluster's nodes and pods). */
    clientSecurityGroupIds: pulumi.Input<string>[];
    tags: Record<string, string>;
}

/** Redis 7 on ElastiCache: a replication group in private subnets, KMS at rest, TLS and AUTH in transit. */
export class RedisCache extends pulumi.ComponentResource {
    readonly primaryEndpoint: pulumi.Output<string>;
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port: number;
    readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:data:RedisCache", name, {}, opts);
        const parent = { parent: this };
        const tags = { ...args.tags, Name: args.replicationGroupId };

        const key = new aws.kms.Key(
            `${name}-key`,
            { description: `At-rest encryption of ${args.replicationGroupId}`, enableKeyRotation: true, deletionWindowInDays: 30, tags },
            parent,
        );
        new aws.kms.Alias(`${name}-key`, { name: `alias/${args.replicationGroupId}`, targetKeyId: key.keyId }, parent);
        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `Redis ${args.replicationGroupId}: the cluster's nodes and pods only`,
                ingress: [
                    {
                        description: "Redis from the cluster",
                        protocol: "tcp",
                        fromPort: REDIS_PORT,
                        toPort: REDIS_PORT,
                        securityGroups: args.clientSecurityGroupIds,
                    },
                ],
                tags,
            },
            parent,
        );
        const subnets = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            { subnetIds: args.subnetIds, description: `Private subnets of ${args.replicationGroupId}`, tags },
            parent,
        );

        const group = new aws.elasticache.ReplicationGroup(
            `${name}-group`,
            {
                replicationGroupId: args.replicationGroupId,
                description: `Redis of ${args.replicationGroupId}`,
                engine: "redis",
                engineVersion: args.engineVersion,
                nodeType: args.nodeType,
                numCacheClusters: args.cacheClusters,
                ...redisAvailability(args.cacheClusters),
                port: REDIS_PORT,
                subnetGroupName: subnets.name,
                securityGroupIds: [securityGroup.id],
                atRestEncryptionEnabled: true,
                kmsKeyId: key.arn,
                transitEncryptionEnabled: true,
                authToken: pulumi.secret(args.authToken),
                snapshotRetentionLimit: args.snapshotRetentionDays,
                snapshotWindow: "18:00-19:00",
                maintenanceWindow: "sun:21:30-sun:22:30",
                autoMinorVersionUpgrade: true,
                applyImmediately: false,
                tags,
            },
            parent,
        );

        this.primaryEndpoint = group.primaryEndpointAddress;
        this.readerEndpoint = group.readerEndpointAddress;
        this.port = REDIS_PORT;
        this.securityGroupId = securityGroup.id;
        this.registerOutputs({
            primaryEndpoint: this.primaryEndpoint,
            readerEndpoint: this.readerEndpoint,
            port: this.port,
            securityGroupId: this.securityGroupId,
        });
    }
}
