import { strict as assert } from "assert";
import { isRestoreTime, postgresParameterFamily, RdsPostgres, RdsPostgresArgs } from "../../../components/rdsPostgres";
import { declareIn, one } from "../../support/components";

const args = (overrides: Partial<RdsPostgresArgs> = {}): RdsPostgresArgs => ({
    identifier: "trading-prod-pg",
    majorVersion: 15,
    instanceClass: "db.r6g.large",
    allocatedStorageGiB: 200,
    maxAllocatedStorageGiB: 1000,
    backupRetentionDays: 35,
    performanceInsightsRetentionDays: 93,
    databaseName: "trading",
    masterUsername: "trading_admin",
    protected: true,
    vpcId: "vpc-0abc",
    subnetIds: ["subnet-a", "subnet-b"],
    clientSecurityGroupIds: ["sg-cluster"],
    tags: { environment: "production" },
    ...overrides,
});
const instanceOf = async (a: RdsPostgresArgs) => {
    const resources = await declareIn("production", () => void new RdsPostgres(a.identifier, a));
    return { resources, instance: one(resources, "aws:rds/instance:Instance").inputs as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe("component RdsPostgres", () => {
    it("declares a private, KMS-encrypted PostgreSQL 15 whose password RDS keeps in Secrets Manager", async () => {
        const { resources, instance } = await instanceOf(args());
        assert.equal(instance.engine, "postgres");
        assert.equal(instance.engineVersion, "15");
        assert.equal(instance.publiclyAccessible, false);
        assert.equal(instance.storageEncrypted, true);
        assert.equal(instance.manageMasterUserPassword, true);
        assert.equal(instance.password, undefined);
        assert.equal(instance.username, "trading_admin");
        // The key is ours, not the AWS-managed default; unknown (an ARN) until created.
        assert.ok(one(resources, "aws:kms/key:Key").inputs.enableKeyRotation);
        assert.deepEqual(one(resources, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, ["subnet-a", "subnet-b"]);
    });

    it("forces TLS through its parameter group of the version's family", async () => {
        const { resources } = await instanceOf(args({ majorVersion: 16 }));
        const params = one(resources, "aws:rds/parameterGroup:ParameterGroup").inputs as {
            family: string;
            parameters: { name: string; value: string }[];
        };
        assert.equal(params.family, "postgres16");
        assert.deepEqual(
            params.parameters.find(p => p.name === "rds.force_ssl"),
            { name: "rds.force_ssl", value: "1" },
        );
    });

    it("admits only the client security groups on 5432", async () => {
        const { resources } = await instanceOf(args());
        const ingress = one(resources, "aws:ec2/securityGroup:SecurityGroup").inputs.ingress as Record<string, unknown>[];
        assert.deepEqual(
            ingress.map(i => [i.fromPort, i.toPort, i.securityGroups, i.cidrBlocks]),
            [[5432, 5432, ["sg-cluster"], undefined]],
        );
    });

    it("in production: Multi-AZ, deletion protection, a final snapshot, backups, Performance Insights and log exports", async () => {
        const { instance } = await instanceOf(args());
        assert.equal(instance.multiAz, true);
        assert.equal(instance.deletionProtection, true);
        assert.equal(instance.skipFinalSnapshot, false);
        assert.equal(instance.finalSnapshotIdentifier, "trading-prod-pg-final");
        assert.equal(instance.backupRetentionPeriod, 35);
        assert.equal(instance.performanceInsightsEnabled, true);
        assert.equal(instance.performanceInsightsRetentionPeriod, 93);
        assert.deepEqual(instance.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
    });

    it("unprotected (staging): single-AZ, deletable, no final snapshot", async () => {
        const { instance } = await instanceOf(args({ protected: false }));
        assert.equal(instance.multiAz, false);
        assert.equal(instance.deletionProtection, false);
        assert.equal(instance.skipFinalSnapshot, true);
        assert.equal(instance.finalSnapshotIdentifier, undefined);
    });

    it("a restore restores to the given time, or the latest restorable one, without a database or user of its own", async () => {
        const at = await instanceOf(
            args({
                identifier: "pg-drill",
                protected: false,
                restore: { sourceInstanceIdentifier: "pg", restoreTime: "2026-11-20T03:00:00Z" },
            }),
        );
        assert.deepEqual(at.instance.restoreToPointInTime, { sourceDbInstanceIdentifier: "pg", restoreTime: "2026-11-20T03:00:00Z" });
        assert.equal(at.instance.dbName, undefined);
        assert.equal(at.instance.username, undefined);
        const latest = await instanceOf(args({ identifier: "pg-drill", protected: false, restore: { sourceInstanceIdentifier: "pg" } }));
        assert.deepEqual(latest.instance.restoreToPointInTime, { sourceDbInstanceIdentifier: "pg", useLatestRestorableTime: true });
    });

    it("rules: parameter family and restore times", () => {
        assert.equal(postgresParameterFamily(15), "postgres15");
        assert.ok(isRestoreTime("2026-11-20T03:00:00Z"));
        assert.ok(!isRestoreTime("2026-11-20 03:00"));
        assert.ok(!isRestoreTime("2026-13-40T03:00:00Z"));
    });
});
