import { strict as assert } from "assert";
import { kubernetesDropAllCapabilities } from "../../../policy/containers/kubernetesDropAllCapabilities";
import { containerWithSecurity, containerWithout, POD_SPEC_PATH } from "../../support/hardeningFixtures";
import { hardenedContainer, hardenedPodSpec, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const FIX_DROP = 'Fix: set securityContext.capabilities.drop: ["ALL"] on the container.';
const withCapabilities = (name: string, capabilities: unknown) => containerWithSecurity(name, { capabilities });

describe("policy kubernetes-drop-all-capabilities", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a hardened ${kind} and fails one that does not drop ALL`, async () => {
            assert.deepEqual(await violationsOf(kubernetesDropAllCapabilities, [workload(kind)]), []);
            const partial = hardenedPodSpec({ containers: [withCapabilities("api", { drop: ["NET_RAW"] })] });
            assert.deepEqual(await violationsOf(kubernetesDropAllCapabilities, [workload(kind, partial)]), [
                `${kind} "api": container "api" (${POD_SPEC_PATH[kind]}.containers[0]) has securityContext.capabilities.drop ["NET_RAW"], without "ALL". ${FIX_DROP}`,
            ]);
        });
    }

    it('accepts "ALL" in any case, and NET_BIND_SERVICE added back', async () => {
        const spec = hardenedPodSpec({
            containers: [
                withCapabilities("api", { drop: ["all"] }),
                withCapabilities("proxy", { drop: ["NET_RAW", "All"], add: ["NET_BIND_SERVICE"] }),
            ],
        });
        assert.deepEqual(await violationsOf(kubernetesDropAllCapabilities, [workload("Deployment", spec)]), []);
    });

    it("fails a container that adds any other capability, naming only the forbidden ones", async () => {
        const spec = hardenedPodSpec({
            containers: [withCapabilities("api", { drop: ["ALL"], add: ["NET_BIND_SERVICE", "SYS_ADMIN", "NET_RAW"] })],
        });
        assert.deepEqual(await violationsOf(kubernetesDropAllCapabilities, [workload("StatefulSet", spec)]), [
            'StatefulSet "api": container "api" (spec.template.spec.containers[0]) has securityContext.capabilities.add ["SYS_ADMIN","NET_RAW"]. ' +
                'Fix: remove "SYS_ADMIN", "NET_RAW" from securityContext.capabilities.add (only NET_BIND_SERVICE may be added back).',
        ]);
    });

    it("lists both problems of one container in one message", async () => {
        const spec = hardenedPodSpec({ containers: [withCapabilities("api", { add: ["SYS_PTRACE"] })] });
        assert.deepEqual(await violationsOf(kubernetesDropAllCapabilities, [workload("Job", spec)]), [
            'Job "api": container "api" (spec.template.spec.containers[0]) has securityContext.capabilities.drop unset, without "ALL" ' +
                'and securityContext.capabilities.add ["SYS_PTRACE"]. ' +
                'Fix: set securityContext.capabilities.drop: ["ALL"] on the container and remove "SYS_PTRACE" from securityContext.capabilities.add (only NET_BIND_SERVICE may be added back).',
        ]);
    });

    it("checks init and ephemeral containers too", async () => {
        const spec = hardenedPodSpec({
            initContainers: [hardenedContainer("migrate"), withCapabilities("vault-agent-init", { drop: [] })],
            ephemeralContainers: [withCapabilities("debugger", { drop: ["ALL"], add: ["SYS_PTRACE"] })],
        });
        assert.deepEqual(await violationsOf(kubernetesDropAllCapabilities, [workload("Deployment", spec)]), [
            `Deployment "api": init container "vault-agent-init" (spec.template.spec.initContainers[1]) has securityContext.capabilities.drop [], without "ALL". ${FIX_DROP}`,
            'Deployment "api": ephemeral container "debugger" (spec.template.spec.ephemeralContainers[0]) has securityContext.capabilities.add ["SYS_PTRACE"]. ' +
                'Fix: remove "SYS_PTRACE" from securityContext.capabilities.add (only NET_BIND_SERVICE may be added back).',
        ]);
    });

    it("reports a container with no securityContext, or no capabilities, instead of throwing", async () => {
        const spec = hardenedPodSpec({
            containers: [containerWithout("bare", "securityContext"), containerWithSecurity("api", { capabilities: undefined })],
        });
        assert.deepEqual(await violationsOf(kubernetesDropAllCapabilities, [workload("Pod", spec)]), [
            `Pod "api": container "bare" (spec.containers[0]) has securityContext.capabilities.drop unset, without "ALL". ${FIX_DROP}`,
            `Pod "api": container "api" (spec.containers[1]) has securityContext.capabilities.drop unset, without "ALL". ${FIX_DROP}`,
        ]);
    });

    it("tolerates a workload with no pod spec", async () => {
        const empty = workload("Deployment");
        empty.inputs = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" } };
        assert.deepEqual(await violationsOf(kubernetesDropAllCapabilities, [empty]), []);
    });
});
