import { strict as assert } from "assert";
import { dataNoPublicAccess } from "../../../policy/data/dataNoPublicAccess";
import { resourceOf, violationsOf } from "../../support/policyHarness";
import { rdsInstance, securityGroup } from "./fixtures";

describe("policy data-no-public-access", () => {
    it("passes a private instance and a group that admits the cluster's group only", async () => {
        const group = securityGroup("production", [{ protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-cluster"] }]);
        assert.deepEqual(await violationsOf(dataNoPublicAccess, [rdsInstance("production"), group]), []);
    });

    it("passes the internet on a port that is no database's (HTTPS)", async () => {
        assert.deepEqual(
            await violationsOf(dataNoPublicAccess, [
                securityGroup("staging", [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }]),
            ]),
            [],
        );
    });

    it("fails a publicly accessible RDS instance", async () => {
        assert.match(
            (await violationsOf(dataNoPublicAccess, [rdsInstance("staging", { publiclyAccessible: true })]))[0],
            /"trading-staging-pg" is publiclyAccessible.*Fix: publiclyAccessible: false/,
        );
    });

    it("fails PostgreSQL open to 0.0.0.0/0, Redis to ::/0, and all traffic", async () => {
        const [pg] = await violationsOf(dataNoPublicAccess, [
            securityGroup("staging", [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }]),
        ]);
        assert.match(pg, /ingress 0 opens PostgreSQL \(5432\) to the internet.*Fix: admit the cluster's security group/);
        const [redis] = await violationsOf(dataNoPublicAccess, [
            securityGroup("staging", [{ protocol: "tcp", fromPort: 6000, toPort: 7000, ipv6CidrBlocks: ["::/0"] }]),
        ]);
        assert.match(redis, /opens Redis \(6379\)/);
        const [all] = await violationsOf(dataNoPublicAccess, [
            securityGroup("staging", [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]),
        ]);
        assert.match(all, /opens PostgreSQL \(5432\), Redis \(6379\)/);
    });

    it("fails a standalone ingress rule resource", async () => {
        const rule = resourceOf("staging", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "open-redis", {
            ipProtocol: "tcp",
            fromPort: 6379,
            toPort: 6379,
            cidrIpv4: "0.0.0.0/0",
        });
        assert.match((await violationsOf(dataNoPublicAccess, [rule]))[0], /Security group ingress rule "open-redis" opens Redis \(6379\)/);
    });
});
