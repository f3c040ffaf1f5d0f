import { strict as assert } from "assert";
import { kubernetesResourceRequestsLimits } from "../../../policy/containers/kubernetesResourceRequestsLimits";
import { containerWithout, POD_SPEC_PATH } from "../../support/hardeningFixtures";
import { hardenedContainer, hardenedPodSpec, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const ALL_MISSING =
    "has no requests.cpu, requests.memory, limits.cpu, limits.memory. " +
    "Fix: set resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory on the container.";

describe("policy kubernetes-resource-requests-limits", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a hardened ${kind} and fails one without limits`, async () => {
            assert.deepEqual(await violationsOf(kubernetesResourceRequestsLimits, [workload(kind)]), []);
            const unlimited = hardenedPodSpec({
                containers: [hardenedContainer("api", { resources: { requests: { cpu: "250m", memory: "256Mi" } } })],
            });
            assert.deepEqual(await violationsOf(kubernetesResourceRequestsLimits, [workload(kind, unlimited)]), [
                `${kind} "api": container "api" (${POD_SPEC_PATH[kind]}.containers[0]) has no limits.cpu, limits.memory. ` +
                    "Fix: set resources.limits.cpu, resources.limits.memory on the container.",
            ]);
        });
    }

    it("names exactly the missing quantities, whichever they are", async () => {
        const spec = hardenedPodSpec({
            containers: [
                hardenedContainer("api", { resources: { requests: { cpu: "250m" }, limits: { cpu: "1", memory: "512Mi" } } }),
                hardenedContainer("proxy", { resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "" } } }),
            ],
        });
        assert.deepEqual(await violationsOf(kubernetesResourceRequestsLimits, [workload("Deployment", spec)]), [
            'Deployment "api": container "api" (spec.template.spec.containers[0]) has no requests.memory. Fix: set resources.requests.memory on the container.',
            'Deployment "api": container "proxy" (spec.template.spec.containers[1]) has no limits.cpu, limits.memory. ' +
                "Fix: set resources.limits.cpu, resources.limits.memory on the container.",
        ]);
    });

    it("checks init containers, but not ephemeral ones (Kubernetes forbids resources there)", async () => {
        const spec = hardenedPodSpec({
            initContainers: [hardenedContainer("migrate"), containerWithout("vault-agent-init", "resources")],
            ephemeralContainers: [containerWithout("debugger", "resources")],
        });
        assert.deepEqual(await violationsOf(kubernetesResourceRequestsLimits, [workload("StatefulSet", spec)]), [
            `StatefulSet "api": init container "vault-agent-init" (spec.template.spec.initContainers[1]) ${ALL_MISSING}`,
        ]);
    });

    it("reports a container with no resources at all instead of throwing", async () => {
        const spec = hardenedPodSpec({
            containers: [containerWithout("bare", "resources"), hardenedContainer("empty", { resources: {} })],
        });
        assert.deepEqual(await violationsOf(kubernetesResourceRequestsLimits, [workload("Pod", spec)]), [
            `Pod "api": container "bare" (spec.containers[0]) ${ALL_MISSING}`,
            `Pod "api": container "empty" (spec.containers[1]) ${ALL_MISSING}`,
        ]);
    });

    it("tolerates a workload with no pod spec", async () => {
        const empty = workload("Deployment");
        empty.inputs = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" } };
        assert.deepEqual(await violationsOf(kubernetesResourceRequestsLimits, [empty]), []);
    });
});
