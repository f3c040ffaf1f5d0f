import { strict as assert } from "assert";
import { committedConfig, problemsOf, withSection } from "../../support/stackConfig";

describe("stack config: addons", () => {
    it("wants exact chart versions and an https Vault", () => {
        const config = withSection(committedConfig("staging"), "addons", a => {
            a.prometheus.chartVersion = "^72.0.0";
            a.vaultInjector.externalVaultAddr = "http://vault:8200";
            return a;
        });
        assert.deepEqual(problemsOf("staging", config), [
            '- staging: trading-platform:addons.vaultInjector.externalVaultAddr: expected an https:// URL; found "http://vault:8200"',
            '- staging: trading-platform:addons.prometheus.chartVersion: expected an exact chart version as a quoted string, e.g. "3.5.0"; found "^72.0.0"',
        ]);
    });

    it("keeps Prometheus's size cap below its volume", () => {
        const config = withSection(committedConfig("production"), "addons", a => ({
            ...a,
            prometheus: { ...a.prometheus, retentionSize: "250GB" },
        }));
        assert.deepEqual(problemsOf("production", config), [
            '- production: trading-platform:addons.prometheus.retentionSize: expected less than storageSize (200Gi), or Prometheus fills its volume before it deletes anything; found "250GB"',
        ]);
    });

    it("asks for the StorageClass the cluster declares, not one nobody does", () => {
        const config = withSection(committedConfig("staging"), "addons", a => ({
            ...a,
            prometheus: { ...a.prometheus, storageClass: "gp2-encrypted" },
        }));
        assert.deepEqual(problemsOf("staging", config), [
            '- staging: trading-platform:addons.prometheus.storageClass: expected "gp3", the StorageClass the cluster declares (a claim for a class nobody declares stays Pending while Helm reports success); found "gp2-encrypted"',
        ]);
    });
});
