import { strict as assert } from "assert";
import { timescaleBackupEnv, timescaleBackupProblems } from "../../../components/dockerHostNamespace";

describe("TimescaleDB backup job rules", () => {
    it("derives its bucket, prefix and region; never a credential", () => {
        assert.deepEqual(timescaleBackupEnv({ bucket: "b", namespace: "synaptic-prod", region: "ap-south-1" }), {
            BACKUP_BUCKET: "b",
            BACKUP_PREFIX: "timescaledb/synaptic-prod/",
            AWS_REGION: "ap-south-1",
            BACKUP_SSE: "aws:kms",
        });
    });

    it("asks for the Vault-rendered credentials, no derived setting in config, and a scheduler command", () => {
        assert.deepEqual(
            timescaleBackupProblems({ secrets: ["timescale-dsn", "backups-aws-credentials"], env: {}, command: ["/app/bin/backup"] }),
            [],
        );
        assert.deepEqual(
            timescaleBackupProblems({ secrets: ["timescale-dsn"], env: { AWS_REGION: "us-east-1" }, command: [] }).map(p => p.path),
            ["secrets", "env.AWS_REGION", "command"],
        );
    });
});
