import { strict as assert } from "assert";
import { timescaleBackupEnv, timescaleBackupProblems } from "../../../components/timescaleBackup";
import { PlanResult } from "../../../tools/lib/planStack";
import { committedPlan } from "../../support/committedPlans";
import { committedConfig, problemsOf, withSection } from "../../support/stackConfig";

describe("TimescaleDB backup job", () => {
    it("derives its bucket, prefix and region; never a credential", () => {
        assert.deepEqual(timescaleBackupEnv({ bucket: "b", namespace: "synaptic-prod", region: "ap-south-1" }), {
            BACKUP_BUCKET: "b",
            BACKUP_PREFIX: "timescaledb/synaptic-prod/",
            AWS_REGION: "ap-south-1",
            BACKUP_SSE: "aws:kms",
        });
    });

    it("config: credentials only as Vault files, the derived settings not overridden, a scheduler command", () => {
        assert.deepEqual(timescaleBackupProblems({ secrets: ["timescale-dsn", "backups-aws-credentials"], env: {}, command: ["/app/bin/backup"] }), []);
        const config = withSection(committedConfig("staging"), "dockerHost", h => {
            const job = h.services["timescale-backup"];
            job.secrets = ["timescale-dsn"];
            job.env.BACKUP_BUCKET = "someone-elses-bucket";
            delete job.command;
            return h;
        });
        assert.deepEqual(problemsOf("staging", config), [
            '- staging: trading-platform:dockerHost.services.timescale-backup.secrets: expected the Vault-rendered files timescale-dsn, backups-aws-credentials (credentials come from Vault, never config); found ["timescale-dsn"]',
            '- staging: trading-platform:dockerHost.services.timescale-backup.env.BACKUP_BUCKET: expected no BACKUP_BUCKET: the stack sets it from data.buckets.backups and eks.region; found "someone-elses-bucket"',
            '- staging: trading-platform:dockerHost.services.timescale-backup.command: expected the scheduler command, e.g. ["/app/bin/backup", "--schedule", "0 */6 * * *", "--mode", "pg_dump"]; found nothing',
        ]);
    });

    describe("in the production plan", () => {
        let plan: PlanResult;
        before(async () => {
            plan = await committedPlan("production");
        });

        it("runs hardened like every container of the host, writing to the stack's backups bucket with Vault-rendered credentials", () => {
            const job = plan.resources.find(r => r.type === "docker:index/container:Container" && r.name === "synaptic-prod-timescale-backup");
            assert.ok(job);
            const c = job.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
            assert.equal(c.readOnly, true);
            assert.deepEqual(c.capabilities, { drops: ["ALL"] });
            assert.deepEqual(c.securityOpts, ["no-new-privileges:true"]);
            assert.equal(c.user, "10001:10001");
            assert.ok(c.envs.includes("BACKUP_BUCKET=synaptic-trading-prod-backups"), c.envs.join(" "));
            assert.ok(c.envs.includes("BACKUPS_AWS_CREDENTIALS_FILE=/run/secrets/backups-aws-credentials"));
            assert.deepEqual(c.volumes, [{ hostPath: "/srv/vault/rendered/synaptic-prod/timescale-backup", containerPath: "/run/secrets", readOnly: true }]);
            assert.deepEqual(c.command.slice(0, 3), ["/app/bin/backup", "--schedule", "0 * * * *"]);
        });
    });
});
