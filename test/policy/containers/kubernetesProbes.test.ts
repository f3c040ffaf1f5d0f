import { strict as assert } from "assert";
import { kubernetesProbes } from "../../../policy/containers/kubernetesProbes";
import { containerWithout } from "../../support/hardeningFixtures";
import { hardenedContainer, hardenedPodSpec, workload } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const LONG_RUNNING = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"];
const RUN_TO_COMPLETION = ["Pod", "Job", "CronJob"];

describe("policy kubernetes-probes", () => {
    for (const kind of LONG_RUNNING) {
        it(`passes a hardened ${kind} and fails one without a readiness probe`, async () => {
            assert.deepEqual(await violationsOf(kubernetesProbes, [workload(kind)]), []);
            const unready = hardenedPodSpec({ containers: [containerWithout("api", "readinessProbe")] });
            assert.deepEqual(await violationsOf(kubernetesProbes, [workload(kind, unready)]), [
                `${kind} "api": container "api" (spec.template.spec.containers[0]) has no readinessProbe. ` +
                    "Fix: set readinessProbe on the container (e.g. httpGet on its health endpoints).",
            ]);
        });
    }

    it("fails a container without a liveness probe, or without both in one message", async () => {
        const spec = hardenedPodSpec({ containers: [containerWithout("api", "livenessProbe"), containerWithout("proxy", "readinessProbe", "livenessProbe")] });
        assert.deepEqual(await violationsOf(kubernetesProbes, [workload("Deployment", spec)]), [
            'Deployment "api": container "api" (spec.template.spec.containers[0]) has no livenessProbe. ' +
                "Fix: set livenessProbe on the container (e.g. httpGet on its health endpoints).",
            'Deployment "api": container "proxy" (spec.template.spec.containers[1]) has no readinessProbe, livenessProbe. ' +
                "Fix: set readinessProbe and livenessProbe on the container (e.g. httpGet on its health endpoints).",
        ]);
    });

    for (const kind of RUN_TO_COMPLETION) {
        it(`does not judge a ${kind}, which may run to completion`, async () => {
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
            'StatefulSet "api": container "sidecar" (spec.template.spec.containers[1]) has no readinessProbe. ' +
                "Fix: set readinessProbe on the container (e.g. httpGet on its health endpoints).",
        ]);
    });

    it("reports a bare container (no probes, nothing else) instead of throwing", async () => {
        const spec = hardenedPodSpec({ containers: [{ name: "bare", image: "x" }] });
        assert.deepEqual(await violationsOf(kubernetesProbes, [workload("DaemonSet", spec)]), [
            'DaemonSet "api": container "bare" (spec.template.spec.containers[0]) has no readinessProbe, livenessProbe. ' +
                "Fix: set readinessProbe and livenessProbe on the container (e.g. httpGet on its health endpoints).",
        ]);
    });

    it("tolerates a workload with no pod spec", async () => {
        const empty = workload("Deployment");
        empty.inputs = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" } };
        assert.deepEqual(await violationsOf(kubernetesProbes, [empty]), []);
    });
});
