import { strict as assert } from "assert";
import { kubernetesNoPrivilegeEscalation } from "../../../policy/containers/kubernetesNoPrivilegeEscalation";
import { containerWithSecurity, containerWithout, POD_SPEC_PATH } from "../../support/hardeningFixtures";
import { hardenedContainer, hardenedPodSpec, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const FIX_ESCALATION = "Fix: set securityContext.allowPrivilegeEscalation: false on the container.";

describe("policy kubernetes-no-privilege-escalation", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a hardened ${kind} and fails one whose container may escalate`, async () => {
            assert.deepEqual(await violationsOf(kubernetesNoPrivilegeEscalation, [workload(kind)]), []);
            const escalating = hardenedPodSpec({ containers: [containerWithSecurity("api", { allowPrivilegeEscalation: true })] });
            assert.deepEqual(await violationsOf(kubernetesNoPrivilegeEscalation, [workload(kind, escalating)]), [
                `${kind} "api": container "api" (${POD_SPEC_PATH[kind]}.containers[0]) has securityContext.allowPrivilegeEscalation true. ${FIX_ESCALATION}`,
            ]);
        });
    }

    it("fails a container that leaves allowPrivilegeEscalation unset (Kubernetes then allows it)", async () => {
        const spec = hardenedPodSpec({ containers: [containerWithSecurity("api", { allowPrivilegeEscalation: undefined })] });
        assert.deepEqual(await violationsOf(kubernetesNoPrivilegeEscalation, [workload("Deployment", spec)]), [
            `Deployment "api": container "api" (spec.template.spec.containers[0]) has securityContext.allowPrivilegeEscalation unset. ${FIX_ESCALATION}`,
        ]);
    });

    it("fails a privileged container, and lists both problems of one container in one message", async () => {
        const privileged = hardenedPodSpec({ containers: [containerWithSecurity("api", { privileged: true })] });
        assert.deepEqual(await violationsOf(kubernetesNoPrivilegeEscalation, [workload("DaemonSet", privileged)]), [
            'DaemonSet "api": container "api" (spec.template.spec.containers[0]) has securityContext.privileged true. ' +
                "Fix: set securityContext.privileged: false (or remove it) on the container.",
        ]);
        const both = hardenedPodSpec({
            containers: [containerWithSecurity("api", { privileged: true, allowPrivilegeEscalation: undefined })],
        });
        assert.deepEqual(await violationsOf(kubernetesNoPrivilegeEscalation, [workload("DaemonSet", both)]), [
            'DaemonSet "api": container "api" (spec.template.spec.containers[0]) has securityContext.allowPrivilegeEscalation unset and securityContext.privileged true. ' +
                "Fix: set securityContext.allowPrivilegeEscalation: false and securityContext.privileged: false (or remove it) on the container.",
        ]);
        const explicitlyUnprivileged = hardenedPodSpec({ containers: [containerWithSecurity("api", { privileged: false })] });
        assert.deepEqual(await violationsOf(kubernetesNoPrivilegeEscalation, [workload("DaemonSet", explicitlyUnprivileged)]), []);
    });

    it("checks init and ephemeral containers too", async () => {
        const spec = hardenedPodSpec({
            initContainers: [
                containerWithSecurity("vault-agent-init", { allowPrivilegeEscalation: undefined }),
                hardenedContainer("migrate"),
            ],
            ephemeralContainers: [containerWithSecurity("debugger", { privileged: true })],
        });
        assert.deepEqual(await violationsOf(kubernetesNoPrivilegeEscalation, [workload("Deployment", spec)]), [
            `Deployment "api": init container "vault-agent-init" (spec.template.spec.initContainers[0]) has securityContext.allowPrivilegeEscalation unset. ${FIX_ESCALATION}`,
            'Deployment "api": ephemeral container "debugger" (spec.template.spec.ephemeralContainers[0]) has securityContext.privileged true. ' +
                "Fix: set securityContext.privileged: false (or remove it) on the container.",
        ]);
    });

    it("reports a container with no securityContext at all instead of throwing", async () => {
        const spec = hardenedPodSpec({ containers: [containerWithout("bare", "securityContext")] });
        assert.deepEqual(await violationsOf(kubernetesNoPrivilegeEscalation, [workload("Pod", spec)]), [
            `Pod "api": container "bare" (spec.containers[0]) has securityContext.allowPrivilegeEscalation unset. ${FIX_ESCALATION}`,
        ]);
    });

    it("tolerates a workload with no pod spec", async () => {
        const empty = workload("Deployment");
        empty.inputs = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" } };
        assert.deepEqual(await violationsOf(kubernetesNoPrivilegeEscalation, [empty]), []);
    });
});
