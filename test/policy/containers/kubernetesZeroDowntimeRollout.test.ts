import { strict as assert } from "assert";
import { kubernetesZeroDowntimeRollout } from "../../../policy/containers/kubernetesZeroDowntimeRollout";
import { rollingDeployment } from "../../support/hardeningFixtures";
import { workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const FIX = 'Fix: set spec.strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } (maxSurge may be a percentage such as "25%").';
const rolling = (rollingUpdate: unknown, type: string | undefined = "RollingUpdate") => rollingDeployment(type === undefined ? { rollingUpdate } : { type, rollingUpdate });

describe("policy kubernetes-zero-downtime-rollout", () => {
    it("passes a rolling update with maxUnavailable 0 and a positive maxSurge, in every accepted spelling", async () => {
        const ok = [
            rollingDeployment(),
            rolling({ maxUnavailable: "0", maxSurge: "25%" }),
            rolling({ maxUnavailable: "0%", maxSurge: 2 }),
            rolling({ maxUnavailable: 0, maxSurge: "1" }, undefined),
            // maxSurge unset defaults to 25%, rounded up: at least one extra pod.
            rolling({ maxUnavailable: 0 }),
        ];
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, ok), []);
    });

    it("fails a Deployment with no strategy (Kubernetes defaults to 25% unavailable), such as the plain hardened fixture", async () => {
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, [workload("Deployment")]), [
            `Deployment "api": has spec.strategy unset (Kubernetes then rolls with maxUnavailable 25%). ${FIX}`,
        ]);
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, [rollingDeployment({})]), [
            `Deployment "api": has spec.strategy unset (Kubernetes then rolls with maxUnavailable 25%). ${FIX}`,
        ]);
    });

    it("fails a Recreate strategy, or any other type", async () => {
        const recreate = rollingDeployment({ type: "Recreate" });
        const other = rollingDeployment({ type: "BlueGreen", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, [recreate, other]), [
            `Deployment "api": has spec.strategy.type "Recreate" (every old pod stops before a new one starts). ${FIX}`,
            `Deployment "api": has spec.strategy.type "BlueGreen". ${FIX}`,
        ]);
    });

    it("fails a rolling update that may take pods away, naming the value", async () => {
        const resources = [rolling({ maxUnavailable: 1, maxSurge: 1 }), rolling({ maxUnavailable: "25%", maxSurge: "25%" }), rolling({ maxSurge: 1 })];
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, resources), [
            `Deployment "api": has spec.strategy.rollingUpdate.maxUnavailable 1. ${FIX}`,
            `Deployment "api": has spec.strategy.rollingUpdate.maxUnavailable "25%". ${FIX}`,
            `Deployment "api": has spec.strategy.rollingUpdate.maxUnavailable unset (Kubernetes defaults it to 25%). ${FIX}`,
        ]);
    });

    it("fails a rolling update that cannot surge", async () => {
        const resources = [rolling({ maxUnavailable: 0, maxSurge: 0 }), rolling({ maxUnavailable: 0, maxSurge: "0%" }), rolling({ maxUnavailable: 0, maxSurge: "none" })];
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, resources), [
            `Deployment "api": has spec.strategy.rollingUpdate.maxSurge 0. ${FIX}`,
            `Deployment "api": has spec.strategy.rollingUpdate.maxSurge "0%". ${FIX}`,
            `Deployment "api": has spec.strategy.rollingUpdate.maxSurge "none". ${FIX}`,
        ]);
    });

    it("fails a RollingUpdate with no rollingUpdate block: maxUnavailable defaults to 25%", async () => {
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, [rollingDeployment({ type: "RollingUpdate" })]), [
            `Deployment "api": has spec.strategy.rollingUpdate.maxUnavailable unset (Kubernetes defaults it to 25%). ${FIX}`,
        ]);
    });

    it("judges Deployments only", async () => {
        const others = WORKLOAD_KINDS.filter(kind => kind !== "Deployment").map(kind => workload(kind));
        assert.equal(others.length, 6);
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, others), []);
    });

    it("reports a Deployment with no spec at all instead of throwing", async () => {
        const empty = workload("Deployment");
        empty.inputs = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" } };
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, [empty]), [
            `Deployment "api": has spec.strategy unset (Kubernetes then rolls with maxUnavailable 25%). ${FIX}`,
        ]);
    });
});
