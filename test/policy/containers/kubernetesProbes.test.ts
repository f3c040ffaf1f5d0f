import { strict as assert } from "assert";
import { kubernetesProbes } from "../../../policy/containers/kubernetesProbes";
import { containerWithout } from "../../support/hardeningFixtures";
import { hardenedContainer, hardenedPodSpec, SHAPED_KINDS, workload } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const LONG_RUNNING = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", ...SHAPED_KINDS];
const FIX_READY = "Fix: set readinessProbe on the container (e.g. httpGet on its health endpoints).";
const FIX_BOTH = "Fix: set readinessProbe and livenessProbe on the container (e.g. httpGet on its health endpoints).";
const byDefault = '(its pod runs with restartPolicy "Always", the default)';

describe("policy kubernetes-probes", () => {
    for (const kind of LONG_RUNNING) {
        it(`passes a hardened ${kind} and fails one without a readiness probe`, async () => {
            assert.deepEqual(await violationsOf(kubernetesProbes, [workload(kind)]), []);
            const unready = hardenedPodSpec({ containers: [containerWithout("api", "readinessProbe")] });
            assert.deepEqual(await violationsOf(kubernetesProbes, [workload(kind, unready)]), [
                `${kind} "api": container "api" (spec.template.spec.containers[0]) has no readinessProbe ${byDefault}. ${FIX_READY}`,
            ]);
        });
    }

    it("fails a container without a liveness probe, or without both in one message", async () => {
        const spec = hardenedPodSpec({
            containers: [containerWithout("api", "livenessProbe"), containerWithout("proxy", "readinessProbe", "livenessProbe")],
        });
        assert.deepEqual(await violationsOf(kubernetesProbes, [workload("Deployment", spec)]), [
            `Deployment "api": container "api" (spec.template.spec.containers[0]) has no livenessProbe ${byDefault}. ` +
                "Fix: set livenessProbe on the container (e.g. httpGet on its health endpoints).",
            `Deployment "api": container "proxy" (spec.template.spec.containers[1]) has no readinessProbe, livenessProbe ${byDefault}. ${FIX_BOTH}`,
        ]);
    });

    it("judges a bare Pod by its restartPolicy: Always (or unset, the default) serves until replaced, OnFailure and Never run to completion", async () => {
        const unprobed = (restartPolicy?: string) =>
            hardenedPodSpec({ containers: [containerWithout("api", "readinessProbe", "livenessProbe")], restartPolicy });
        assert.deepEqual(await violationsOf(kubernetesProbes, [workload("Pod", unprobed()), workload("Pod", unprobed("Always"))]), [
            `Pod "api": container "api" (spec.containers[0]) has no readinessProbe, livenessProbe ${byDefault}. ${FIX_BOTH}`,
            `Pod "api": container "api" (spec.containers[0]) has no readinessProbe, livenessProbe (its pod runs with restartPolicy "Always"). ${FIX_BOTH}`,
        ]);
        assert.deepEqual(
            await violationsOf(kubernetesProbes, [workload("Pod", unprobed("OnFailure")), workload("Pod", unprobed("Never"))]),
            [],
        );
    });

    for (const kind of ["Job", "CronJob"]) {
        it(`does not judge a ${kind}'s pods, which run to completion`, async () => {
            const unprobed = hardenedPodSpec({ containers: [containerWithout("api", "readinessProbe", "livenessProbe")] });
            assert.deepEqual(await violationsOf(kubernetesProbes, [workload(kind, unprobed)]), []);
        });
    }

    it("checks regular containers only: init and ephemeral containers take no probes", async () => {
        const spec = hardenedPodSpec({
            containers: [hardenedContainer("api"), containerWithout("sidecar", "readinessProbe")],
            initContainers: [containerWithout("vault-agent-init", "readinessProbe", "livenessProbe")],
            ephemeralContainers: [containerWithout("debugger", "readinessProbe", "livenessProbe")],
        });
        assert.deepEqual(await violationsOf(kubernetesProbes, [workload("StatefulSet", spec)]), [
            `StatefulSet "api": container "sidecar" (spec.template.spec.containers[1]) has no readinessProbe ${byDefault}. ${FIX_READY}`,
        ]);
    });

    it("reports a bare container (no probes, nothing else) instead of throwing", async () => {
        const spec = hardenedPodSpec({ containers: [{ name: "bare", image: "x" }] });
        assert.deepEqual(await violationsOf(kubernetesProbes, [workload("DaemonSet", spec)]), [
            `DaemonSet "api": container "bare" (spec.template.spec.containers[0]) has no readinessProbe, livenessProbe ${byDefault}. ${FIX_BOTH}`,
        ]);
    });

    it("tolerates a workload with no pod spec", async () => {
        const empty = workload("Deployment");
        empty.inputs = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" } };
        assert.deepEqual(await violationsOf(kubernetesProbes, [empty]), []);
    });
});
