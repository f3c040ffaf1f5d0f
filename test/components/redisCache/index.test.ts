import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { isRedis7, RedisCache, RedisCacheArgs } from "../../../components/redisCache";
import { declareIn, one } from "../../support/components";

const args = (overrides: Partial<RedisCacheArgs> = {}): RedisCacheArgs => ({
    replicationGroupId: "trading-prod-redis",
    engineVersion: "7.1",
    nodeType: "cache.r6g.large",
    cacheClusters: 3,
    snapshotRetentionDays: 14,
    authToken: pulumi.secret("token-0123456789abcdef"),
    vpcId: "vpc-0abc",
    subnetIds: ["subnet-a", "subnet-b"],
    clientSecurityGroupIds: ["sg-cluster"],
    tags: { environment: "production" },
    ...overrides,
});
const declared = (a: RedisCacheArgs) => declareIn("production", () => void new RedisCache(a.replicationGroupId, a));

describe("component RedisCache", () => {
    it("declares Redis 7 encrypted at rest with its own KMS key, TLS in transit and the AUTH token kept secret", async () => {
        const resources = await declared(args());
        const group = one(resources, "aws:elasticache/replicationGroup:ReplicationGroup");
        assert.equal(group.inputs.engineVersion, "7.1");
        assert.equal(group.inputs.atRestEncryptionEnabled, true);
        assert.equal(group.inputs.transitEncryptionEnabled, true);
        assert.ok(group.secretPaths.includes("authToken"), group.secretPaths.join(","));
        assert.equal(group.inputs.snapshotRetentionLimit, 14);
        assert.ok(one(resources, "aws:kms/key:Key"));
    });

    it("with replicas: automatic failover and Multi-AZ; alone: neither", async () => {
        const ha = one(await declared(args()), "aws:elasticache/replicationGroup:ReplicationGroup").inputs;
        assert.deepEqual([ha.numCacheClusters, ha.automaticFailoverEnabled, ha.multiAzEnabled], [3, true, true]);
        const single = one(await declared(args({ cacheClusters: 1 })), "aws:elasticache/replicationGroup:ReplicationGroup").inputs;
        assert.deepEqual([single.automaticFailoverEnabled, single.multiAzEnabled], [false, false]);
    });

    it("admits only the client security groups on 6379, in private subnets", async () => {
        const resources = await declared(args());
        const ingress = one(resources, "aws:ec2/securityGroup:SecurityGroup").inputs.ingress as Record<string, unknown>[];
        assert.deepEqual(
            ingress.map(i => [i.fromPort, i.securityGroups, i.cidrBlocks]),
            [[6379, ["sg-cluster"], undefined]],
        );
        assert.deepEqual(one(resources, "aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds, ["subnet-a", "subnet-b"]);
    });

    it("rules: only 7.x is Redis 7", () => {
        assert.ok(isRedis7("7.1"));
        assert.ok(!isRedis7("6.2"));
        assert.ok(!isRedis7("7"));
    });
});
