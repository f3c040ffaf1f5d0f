import { strict as assert } from "assert";
import { dataBackupsRetained } from "../../../policy/data/dataBackupsRetained";
import { violationsOf } from "../../support/policyHarness";
import { rdsInstance, redisGroup } from "./fixtures";

describe("policy data-backups-retained", () => {
    it("passes backups kept for the default minimum", async () => {
        assert.deepEqual(await violationsOf(dataBackupsRetained, [rdsInstance("staging"), redisGroup("staging")]), []);
    });

    it("fails an RDS instance with backups off, and one below the configured minimum", async () => {
        assert.match(
            (await violationsOf(dataBackupsRetained, [rdsInstance("staging", { backupRetentionPeriod: 0 })]))[0],
            /keeps no automated backups \(point-in-time recovery is off\); the minimum is 7.*Fix: raise data.postgres.backupRetentionDays/,
        );
        const config = { "data-backups-retained": { minimumBackupRetentionDays: 14 } };
        assert.match(
            (await violationsOf(dataBackupsRetained, [rdsInstance("production")], config))[0],
            /keeps backups 7 day\(s\); the minimum is 14/,
        );
    });

    it("fails Redis without snapshots", async () => {
        assert.match(
            (await violationsOf(dataBackupsRetained, [redisGroup("staging", { snapshotRetentionLimit: 0 })]))[0],
            /"trading-staging-redis" keeps no snapshots/,
        );
    });
});
