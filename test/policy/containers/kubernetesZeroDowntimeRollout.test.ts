import { strict as assert } from "assert";
import { kubernetesZeroDowntimeRollout } from "../../../policy/containers/kubernetesZeroDowntimeRollout";
import { rollingDeployment, withWorkloadSpec } from "../../support/hardeningFixtures";
import { SHAPED_KINDS, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const FIX =
    'Fix: set spec.strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } (maxSurge may be a percentage such as "25%").';
const rolling = (rollingUpdate: unknown, type: string | undefined = "RollingUpdate") =>
    rollingDeployment(type === undefined ? { rollingUpdate } : { type, rollingUpdate });

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
        const resources = [
            rolling({ maxUnavailable: 1, maxSurge: 1 }),
            rolling({ maxUnavailable: "25%", maxSurge: "25%" }),
            rolling({ maxSurge: 1 }),
        ];
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, resources), [
            `Deployment "api": has spec.strategy.rollingUpdate.maxUnavailable 1. ${FIX}`,
            `Deployment "api": has spec.strategy.rollingUpdate.maxUnavailable "25%". ${FIX}`,
            `Deployment "api": has spec.strategy.rollingUpdate.maxUnavailable unset (Kubernetes defaults it to 25%). ${FIX}`,
        ]);
    });

    it("fails a rolling update that cannot surge", async () => {
        const resources = [
            rolling({ maxUnavailable: 0, maxSurge: 0 }),
            rolling({ maxUnavailable: 0, maxSurge: "0%" }),
            rolling({ maxUnavailable: 0, maxSurge: "none" }),
        ];
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

    it("does not judge kinds that roll through updateStrategy or run to completion, nor a pod-carrying kind with no strategy", async () => {
        const others = [...WORKLOAD_KINDS.filter(kind => kind !== "Deployment"), ...SHAPED_KINDS].map(kind => workload(kind));
        assert.equal(others.length, 8);
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, others), []);
    });

    it("judges an Argo Rollout by its strategy's shape: blueGreen passes, canary needs maxUnavailable 0", async () => {
        const rollout = (strategy: unknown) => withWorkloadSpec(workload("Rollout"), { strategy });
        const FIX_ROLLOUT = "Fix: use strategy.blueGreen, or strategy.canary with maxUnavailable: 0 and maxSurge: 1.";
        assert.deepEqual(
            await violationsOf(kubernetesZeroDowntimeRollout, [
                rollout({ blueGreen: { activeService: "api" } }),
                rollout({ canary: { maxUnavailable: 0, maxSurge: 1 } }),
            ]),
            [],
        );
        assert.deepEqual(
            await violationsOf(kubernetesZeroDowntimeRollout, [
                rollout({ canary: { steps: [{ setWeight: 5 }] } }),
                rollout({ canary: { maxUnavailable: 1 } }),
            ]),
            [
                `Rollout "api": has spec.strategy.canary.maxUnavailable unset (Argo Rollouts defaults it to 25%). ${FIX_ROLLOUT}`,
                `Rollout "api": has spec.strategy.canary.maxUnavailable 1. ${FIX_ROLLOUT}`,
            ],
        );
    });

    it("judges an OpenShift DeploymentConfig by its Rolling parameters, and fails its Recreate", async () => {
        const config = (strategy: unknown) => withWorkloadSpec(workload("DeploymentConfig"), { strategy });
        const FIX_DC = 'Fix: set spec.strategy: { type: "Rolling", rollingParams: { maxUnavailable: 0, maxSurge: 1 } }.';
        assert.deepEqual(
            await violationsOf(kubernetesZeroDowntimeRollout, [
                config({ type: "Rolling", rollingParams: { maxUnavailable: 0, maxSurge: "25%" } }),
            ]),
            [],
        );
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, [config({ type: "Rolling" }), config({ type: "Recreate" })]), [
            `DeploymentConfig "api": has spec.strategy.rollingParams.maxUnavailable unset (OpenShift defaults it to 25%). ${FIX_DC}`,
            `DeploymentConfig "api": has spec.strategy.type "Recreate" (every old pod stops before a new one starts). ${FIX_DC}`,
        ]);
    });

    it("reports a Deployment with no spec at all instead of throwing", async () => {
        const empty = workload("Deployment");
        empty.inputs = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" } };
        assert.deepEqual(await violationsOf(kubernetesZeroDowntimeRollout, [empty]), [
            `Deployment "api": has spec.strategy unset (Kubernetes then rolls with maxUnavailable 25%). ${FIX}`,
        ]);
    });
});
