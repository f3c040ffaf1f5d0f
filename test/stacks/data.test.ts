import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { PlanResult, planStack } from "../../tools/plan/planStack";
import { tempDir } from "../support/cli";
import { committedPlan } from "../support/committedPlans";
import { repoRoot } from "../support/stackConfig";

const RDS = "aws:rds/instance:Instance";
const SG = "aws:ec2/securityGroup:SecurityGroup";

/** A copy of a committed stack file with its data section edited. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function stackFileWithData(stack: string, edit: (data: Record<string, any>) => void): string {
    const doc = parseYaml(fs.readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8"));
    edit(doc.config["trading-platform:data"]);
    const file = path.join(tempDir(), `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, toYaml(doc));
    return file;
}
const stagingFileWithDrill = (drill: Record<string, unknown>) => stackFileWithData("staging", data => (data.restoreDrill = drill));

describe("stack data services", () => {
    describe("the committed stacks", () => {
        const plans: Record<string, PlanResult> = {};
        before(async () => {
            for (const stack of ["staging", "production"] as const) plans[stack] = await committedPlan(stack);
        });

        it("declare PostgreSQL, Redis and the two buckets in the EKS VPC's private subnets, admitting only the cluster", () => {
            for (const stack of ["staging", "production"]) {
                const resources = plans[stack].resources;
                const types = resources.map(r => r.type);
                assert.equal(types.filter(t => t === RDS).length, 1, stack);
                assert.equal(types.filter(t => t === "aws:elasticache/replicationGroup:ReplicationGroup").length, 1, stack);
                // The catalogs and backups buckets (production's release-evidence store is a bucket of its own).
                assert.equal(
                    resources.filter(r => r.type === "aws:s3/bucket:Bucket" && r.urn.includes("trading-platform:data:SecureBucket$"))
                        .length,
                    2,
                    stack,
                );
                const privateSubnets = resources
                    .filter(
                        r =>
                            r.type === "aws:ec2/subnet:Subnet" &&
                            (r.inputs.tags as Record<string, string>)["kubernetes.io/role/internal-elb"] === "1",
                    )
                    .map(r => r.urn);
                for (const group of resources.filter(
                    r => r.type === "aws:rds/subnetGroup:SubnetGroup" || r.type === "aws:elasticache/subnetGroup:SubnetGroup",
                )) {
                    assert.deepEqual([...group.propertyDependencies.subnetIds].sort(), [...privateSubnets].sort(), group.urn);
                }
                const cluster = resources.find(r => r.type === "aws:eks/cluster:Cluster")!;
                for (const sg of resources.filter(r => r.type === SG && r.parent?.includes("trading-platform:data:"))) {
                    assert.deepEqual(sg.propertyDependencies.ingress, [cluster.urn], sg.urn);
                }
            }
        });

        it("production's database is Multi-AZ, deletion-protected and snapshotted on delete; staging's is not", () => {
            const pg = (stack: string) => plans[stack].resources.find(r => r.type === RDS)!.inputs;
            assert.deepEqual(
                [pg("production").multiAz, pg("production").deletionProtection, pg("production").skipFinalSnapshot],
                [true, true, false],
            );
            assert.deepEqual(
                [pg("staging").multiAz, pg("staging").deletionProtection, pg("staging").skipFinalSnapshot],
                [false, false, true],
            );
        });

        it("outputs endpoints, never a credential", () => {
            const outputs = plans.production.document.outputs as Record<string, unknown>;
            assert.deepEqual(outputs.dataBuckets, { catalogs: "synaptic-trading-prod-catalogs", backups: "synaptic-trading-prod-backups" });
            for (const name of ["postgresEndpoint", "redisEndpoint", "postgresMasterSecretArn"]) assert.ok(name in outputs, name);
            for (const secret of plans.production.secretValues) assert.ok(!JSON.stringify(outputs).includes(secret));
            assert.equal(outputs.prometheusUrl, "http://prometheus-operated.monitoring:9090");
        });
    });

    it("production's backups below the retention its policy config sets fail the plan", async () => {
        const plan = await planStack({
            stack: "production",
            stackFile: stackFileWithData("production", data => (data.postgres.backupRetentionDays = 14)),
        });
        const violations = plan.document.policyResults.violations.filter(v => v.policyName === "data-backups-retained");
        assert.equal(violations.length, 1);
        assert.equal(violations[0].enforcementLevel, "mandatory");
        assert.match(violations[0].detail, /"trading-prod-pg" keeps backups 14 day\(s\); the minimum is 30/);
        assert.equal(plan.document.summary.passed, false);
    });

    describe("the restore drill", () => {
        it("switched on in staging: plans a point-in-time restore of the named source in its own security group, and passes the pack", async () => {
            // Two days back, at 03:00 UTC: inside the source's 7 days of backups whenever the test runs.
            const restoreTime = `${new Date(Date.now() - 2 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10)}T03:00:00Z`;
            const plan = await planStack({
                stack: "staging",
                stackFile: stagingFileWithDrill({ enabled: true, sourceInstanceIdentifier: "trading-staging-pg", restoreTime }),
            });
            const instances = plan.resources.filter(r => r.type === RDS);
            assert.deepEqual(instances.map(r => r.inputs.identifier).sort(), ["trading-staging-pg", "trading-staging-pg-drill"]);
            const drill = instances.find(r => r.inputs.identifier === "trading-staging-pg-drill")!;
            assert.deepEqual(drill.inputs.restoreToPointInTime, { sourceDbInstanceIdentifier: "trading-staging-pg", restoreTime });
            assert.equal(drill.inputs.publiclyAccessible, false);
            assert.equal(drill.inputs.deletionProtection, false);
            const ownGroup = plan.resources.find(r => r.type === SG && r.urn.endsWith("::trading-staging-pg-drill-sg"));
            assert.ok(ownGroup, "the drill has no security group of its own");
            assert.deepEqual(drill.propertyDependencies.vpcSecurityGroupIds, [ownGroup.urn]);
            assert.equal(plan.document.summary.passed, true);
            assert.deepEqual(
                plan.document.policyResults.violations.filter(v => v.enforcementLevel === "mandatory"),
                [],
            );
            assert.ok("restoreDrillEndpoint" in plan.document.outputs);
        });

        it("switched off: the drill's instance is gone from the plan", async () => {
            const plan = await planStack({
                stack: "staging",
                stackFile: stagingFileWithDrill({ enabled: false, sourceInstanceIdentifier: "trading-staging-pg" }),
            });
            assert.deepEqual(
                plan.resources.filter(r => r.type === RDS).map(r => r.inputs.identifier),
                ["trading-staging-pg"],
            );
            assert.ok(!plan.resources.some(r => r.urn.includes("drill")));
        });
    });
});
