import { strict as assert } from "assert";
import { PlanResult } from "../../tools/plan/planStack";
import { committedPlan } from "../support/committedPlans";

describe("the stack's Docker host namespace", () => {
    describe("in the production plan", () => {
        let plan: PlanResult;
        before(async () => {
            plan = await committedPlan("production");
        });

        it("runs the TimescaleDB backup job hardened like every container of the host, writing to the stack's backups bucket with Vault-rendered credentials", () => {
            const job = plan.resources.find(
                r => r.type === "docker:index/container:Container" && r.name === "synaptic-prod-timescale-backup",
            );
            assert.ok(job);
            const c = job.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
            assert.equal(c.readOnly, true);
            assert.deepEqual(c.capabilities, { drops: ["ALL"] });
            assert.deepEqual(c.securityOpts, ["no-new-privileges:true"]);
            assert.equal(c.user, "10001:10001");
            assert.ok(c.envs.includes("BACKUP_BUCKET=synaptic-trading-prod-backups"), c.envs.join(" "));
            assert.ok(c.envs.includes("BACKUPS_AWS_CREDENTIALS_FILE=/run/secrets/backups-aws-credentials"));
            assert.deepEqual(c.volumes, [
                { hostPath: "/srv/vault/rendered/synaptic-prod/timescale-backup", containerPath: "/run/secrets", readOnly: true },
            ]);
            assert.deepEqual(c.command.slice(0, 3), ["/app/bin/backup", "--schedule", "0 * * * *"]);
        });
    });
});
