import { strict as assert } from "assert";
import { kubernetesZoneSpread } from "../../../policy/containers/kubernetesZoneSpread";
import { withWorkloadSpec } from "../../support/hardeningFixtures";
import { hardenedPodSpec, SHAPED_KINDS, workload } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const REPLICATED = ["Deployment", "StatefulSet", "ReplicaSet", ...SHAPED_KINDS];
const ZONE = "topology.kubernetes.io/zone";
const FIX =
    `Fix: add { topologyKey: "${ZONE}", maxSkew: 1, whenUnsatisfiable: "DoNotSchedule", labelSelector: <the pod's labels> } ` +
    "to spec.template.spec.topologySpreadConstraints.";
const spread = (topologySpreadConstraints: unknown) => hardenedPodSpec({ topologySpreadConstraints });

describe("policy kubernetes-zone-spread", () => {
    for (const kind of REPLICATED) {
        it(`passes a hardened ${kind} and fails one with no spread constraint`, async () => {
            assert.deepEqual(await violationsOf(kubernetesZoneSpread, [workload(kind)]), []);
            assert.deepEqual(await violationsOf(kubernetesZoneSpread, [workload(kind, spread(undefined))]), [
                `${kind} "api": 3 replicas but spec.template.spec.topologySpreadConstraints has no entry on ${ZONE} with maxSkew <= 1 (found: none). ${FIX}`,
            ]);
        });
    }

    it("fails a spread on another key, or on zones with a skew above 1", async () => {
        const hostOnly = spread([{ topologyKey: "kubernetes.io/hostname", maxSkew: 1, whenUnsatisfiable: "DoNotSchedule" }]);
        const skewed = spread([
            { topologyKey: ZONE, maxSkew: 2, whenUnsatisfiable: "DoNotSchedule" },
            { topologyKey: "kubernetes.io/hostname", maxSkew: 1 },
        ]);
        assert.deepEqual(await violationsOf(kubernetesZoneSpread, [workload("Deployment", hostOnly), workload("StatefulSet", skewed)]), [
            `Deployment "api": 3 replicas but spec.template.spec.topologySpreadConstraints has no entry on ${ZONE} with maxSkew <= 1 ` +
                `(found: topologyKey "kubernetes.io/hostname" with maxSkew 1). ${FIX}`,
            `StatefulSet "api": 3 replicas but spec.template.spec.topologySpreadConstraints has no entry on ${ZONE} with maxSkew <= 1 ` +
                `(found: topologyKey "${ZONE}" with maxSkew 2; topologyKey "kubernetes.io/hostname" with maxSkew 1). ${FIX}`,
        ]);
    });

    it("passes when any one entry spreads over zones, beside others", async () => {
        const both = spread([
            { topologyKey: "kubernetes.io/hostname", maxSkew: 2 },
            { topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: "ScheduleAnyway" },
        ]);
        assert.deepEqual(await violationsOf(kubernetesZoneSpread, [workload("ReplicaSet", both)]), []);
    });

    it("judges 2 replicas, but not a workload with replicas unset or 1 (one pod cannot spread)", async () => {
        const two = withWorkloadSpec(workload("Deployment", spread(undefined)), { replicas: 2 });
        assert.deepEqual(await violationsOf(kubernetesZoneSpread, [two]), [
            `Deployment "api": 2 replicas but spec.template.spec.topologySpreadConstraints has no entry on ${ZONE} with maxSkew <= 1 (found: none). ${FIX}`,
        ]);
        const single = withWorkloadSpec(workload("Deployment", spread(undefined)), { replicas: 1 });
        const unset = withWorkloadSpec(workload("StatefulSet", spread(undefined)), { replicas: undefined });
        assert.deepEqual(await violationsOf(kubernetesZoneSpread, [single, unset]), []);
    });

    for (const kind of ["DaemonSet", "Pod", "Job", "CronJob"]) {
        it(`does not judge a ${kind}, which has no replica count`, async () => {
            assert.deepEqual(await violationsOf(kubernetesZoneSpread, [workload(kind, spread(undefined))]), []);
        });
    }

    it("reports a replicated workload with no pod spec at all instead of throwing", async () => {
        const empty = workload("Deployment");
        empty.inputs = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" }, spec: { replicas: 3 } };
        assert.deepEqual(await violationsOf(kubernetesZoneSpread, [empty]), [
            `Deployment "api": 3 replicas but spec.template.spec.topologySpreadConstraints has no entry on ${ZONE} with maxSkew <= 1 (found: none). ${FIX}`,
        ]);
    });
});
