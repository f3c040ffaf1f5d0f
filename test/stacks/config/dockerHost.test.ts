import { strict as assert } from "assert";
import { validateStackConfig } from "../../../stacks/config";
import { committedConfig, problemsOf, rawConfig, withSection } from "../../support/stackConfig";

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

    it("refuses networks whose subnets overlap, naming both", () => {
        const config = withSection(committedConfig("staging"), "dockerHost", h => {
            h.networks.egress.subnet = "172.28.10.128/25";
            h.networks.extra = { internal: true, subnet: "172.28.0.0/16" };
            return h;
        });
        assert.deepEqual(problemsOf("staging", config), [
            '- staging: trading-platform:dockerHost.networks.egress.subnet: expected a subnet that overlaps no other network of the namespace (backend has 172.28.10.0/24); found "172.28.10.128/25"',
            '- staging: trading-platform:dockerHost.networks.extra.subnet: expected a subnet that overlaps no other network of the namespace (backend has 172.28.10.0/24); found "172.28.0.0/16"',
        ]);
    });

    it("refuses a host port published twice on one address, or on 0.0.0.0 and another address", () => {
        const config = withSection(committedConfig("staging"), "dockerHost", h => {
            h.services["data-pipeline"].ports = [{ internal: 9000, external: 18080 }];
            h.services["strategy-sim"].networks = ["backend", "egress"];
            h.services["strategy-sim"].ports = [
                { internal: 9100, external: 19000, hostIp: "0.0.0.0" },
                { internal: 9101, external: 19000, hostIp: "10.0.0.5" },
            ];
            return h;
        });
        assert.deepEqual(problemsOf("staging", config), [
            "- staging: trading-platform:dockerHost.services.strategy-sim.ports.1.external: expected a host port no other published port takes on 10.0.0.5 (trading-platform:dockerHost.services.strategy-sim.ports.0 publishes 0.0.0.0:19000); found 19000",
            "- staging: trading-platform:dockerHost.services.rest-adapter.ports.0.external: expected a host port no other published port takes on 127.0.0.1 (trading-platform:dockerHost.services.data-pipeline.ports.0 publishes 127.0.0.1:18080); found 18080",
        ]);
        // The same port on two different addresses is two sockets: allowed.
        const twoAddresses = withSection(committedConfig("staging"), "dockerHost", h => {
            h.services["data-pipeline"].ports = [{ internal: 9000, external: 18080, hostIp: "10.0.0.5" }];
            return h;
        });
        assert.doesNotThrow(() => validateStackConfig(rawConfig("staging", twoAddresses)));
    });
});
