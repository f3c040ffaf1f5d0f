import { strict as assert } from "assert";
import { committedConfig, problemsOf, withSection } from "../../support/stackConfig";

describe("config: dockerHost", () => {
    it("the TimescaleDB backup job: credentials only as Vault files, the derived settings not overridden, a scheduler command", () => {
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
});
