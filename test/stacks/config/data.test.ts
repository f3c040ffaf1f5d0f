import { strict as assert } from "assert";
import { validateStackConfig } from "../../../stacks/config";
import { drillInstanceIdentifier } from "../../../stacks/config/data";
import { committedConfig, problemsOf, rawConfig, withSection } from "../../support/stackConfig";

describe("stack config: data", () => {
    it("defaults PostgreSQL to major version 15", () => {
        const config = withSection(committedConfig("staging"), "data", d => {
            delete d.postgres.majorVersion;
            return { ...d, postgres: { ...d.postgres, majorVersion: 12 } };
        });
        assert.deepEqual(problemsOf("staging", config), [
            "- staging: trading-platform:data.postgres.majorVersion: expected a PostgreSQL major version RDS offers (14, 15, 16, 17); found 12",
        ]);
    });

    it("production needs a Redis replica and backups kept past a quarterly drill", () => {
        const config = withSection(committedConfig("production"), "data", d => {
            d.redis.cacheClusters = 1;
            d.buckets.backups.noncurrentVersionExpirationDays = 30;
            d.redis.engineVersion = "6.2";
            return d;
        });
        assert.deepEqual(problemsOf("production", config), [
            '- production: trading-platform:data.redis.engineVersion: expected a Redis 7.x version such as "7.1"; found "6.2"',
            "- production: trading-platform:data.redis.cacheClusters: expected at least 2 in production: automatic failover and Multi-AZ need a replica; found 1",
            "- production: trading-platform:data.buckets.backups.noncurrentVersionExpirationDays: expected at least 92 in production, so every backup version since the last quarterly drill can still be restored; found 30",
        ]);
    });

    it("the restore drill runs in staging only, at a UTC time", () => {
        const prod = withSection(committedConfig("production"), "data", d => ({
            ...d,
            restoreDrill: { enabled: true, sourceInstanceIdentifier: "trading-prod-pg" },
        }));
        assert.deepEqual(problemsOf("production", prod), [
            "- production: trading-platform:data.restoreDrill.enabled: expected false in production: the drill restores into staging; found true",
        ]);
        const badTime = withSection(committedConfig("staging"), "data", d => ({
            ...d,
            restoreDrill: { ...d.restoreDrill, enabled: true, restoreTime: "yesterday" },
        }));
        assert.match(
            problemsOf("staging", badTime)[0],
            /data\.restoreDrill\.restoreTime: expected a UTC time such as "2026-11-20T03:00:00Z".*; found "yesterday"/,
        );
        assert.equal(drillInstanceIdentifier("trading-staging-pg"), "trading-staging-pg-drill");
    });

    it("the drill restores to a time the source's backups reach: not in the future, not past the retention", () => {
        const now = new Date("2026-11-23T12:00:00Z");
        const drillAt = (restoreTime: string, sourceInstanceIdentifier = "trading-staging-pg") =>
            withSection(committedConfig("staging"), "data", d => ({
                ...d,
                restoreDrill: { enabled: true, sourceInstanceIdentifier, restoreTime },
            }));
        assert.deepEqual(problemsOf("staging", drillAt("2026-11-24T03:00:00Z"), now), [
            '- staging: trading-platform:data.restoreDrill.restoreTime: expected a time in the past (now is 2026-11-23T12:00:00Z), or no key for the latest restorable time; found "2026-11-24T03:00:00Z"',
        ]);
        // The committed source keeps 7 days (postgres.backupRetentionDays).
        assert.deepEqual(problemsOf("staging", drillAt("2026-11-10T03:00:00Z"), now), [
            '- staging: trading-platform:data.restoreDrill.restoreTime: expected a time within the source\'s retention, after 2026-11-16T12:00:00Z (the source keeps 7 days of backups (postgres.backupRetentionDays)); found "2026-11-10T03:00:00Z"',
        ]);
        // Another source's retention is not in this stack: RDS's 35 days are the most it can keep.
        assert.match(
            problemsOf("staging", drillAt("2026-10-01T03:00:00Z", "trading-prod-pg"), now)[0],
            /after 2026-10-19T12:00:00Z \(RDS keeps backups at most 35 days\)/,
        );
        assert.doesNotThrow(() => validateStackConfig({ ...rawConfig("staging", drillAt("2026-11-20T03:00:00Z")), now }));
        // A switched-off drill is not judged: its time may age in the file.
        const off = withSection(committedConfig("staging"), "data", d => ({
            ...d,
            restoreDrill: { enabled: false, sourceInstanceIdentifier: "trading-staging-pg", restoreTime: "2020-01-01T00:00:00Z" },
        }));
        assert.doesNotThrow(() => validateStackConfig({ ...rawConfig("staging", off), now }));
    });

    it("requires the Redis AUTH token as a secret", () => {
        const config = committedConfig("staging");
        const plaintext = {
            values: { ...config.values, "trading-platform:redisAuthToken": "PLAINTEXT-SENTINEL-redis" },
            secretKeys: config.secretKeys.filter(k => k !== "trading-platform:redisAuthToken"),
        };
        const problems = problemsOf("staging", plaintext);
        assert.deepEqual(problems, [
            "- staging: trading-platform:redisAuthToken: expected a secret (pulumi config set --secret redisAuthToken ...); found a plaintext value",
        ]);
        assert.ok(!problems.join("\n").includes("PLAINTEXT-SENTINEL"));
    });
});
