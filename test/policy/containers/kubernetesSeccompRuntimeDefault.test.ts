import { strict as assert } from "assert";
import { kubernetesSeccompRuntimeDefault } from "../../../policy/containers/kubernetesSeccompRuntimeDefault";
import {
    containerWithSecurity,
    containerWithout,
    POD_SPEC_PATH,
    podSpecWithSecurity,
    podSpecWithoutSecurity,
} from "../../support/hardeningFixtures";
import { hardenedContainer, hardenedPodSpec, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const FIX =
    'Fix: set seccompProfile: { type: "RuntimeDefault" } in the pod\'s securityContext (or "Localhost" with a localhostProfile), ' +
    "and remove any other seccompProfile from the container's.";
const NEITHER = "(in both the container's and the pod's securityContext)";
const seccomp = (type: string | undefined) => ({ seccompProfile: type === undefined ? undefined : { type } });

describe("policy kubernetes-seccomp-runtime-default", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a hardened ${kind} and fails one whose container runs Unconfined`, async () => {
            assert.deepEqual(await violationsOf(kubernetesSeccompRuntimeDefault, [workload(kind)]), []);
            const unconfined = hardenedPodSpec({ containers: [containerWithSecurity("api", seccomp("Unconfined"))] });
            assert.deepEqual(await violationsOf(kubernetesSeccompRuntimeDefault, [workload(kind, unconfined)]), [
                `${kind} "api": container "api" (${POD_SPEC_PATH[kind]}.containers[0]) has seccompProfile.type "Unconfined" (from the container's securityContext). ${FIX}`,
            ]);
        });
    }

    it("accepts a Localhost profile", async () => {
        const spec = podSpecWithSecurity(seccomp(undefined), {
            containers: [containerWithSecurity("api", { seccompProfile: { type: "Localhost", localhostProfile: "profiles/api.json" } })],
        });
        assert.deepEqual(await violationsOf(kubernetesSeccompRuntimeDefault, [workload("Deployment", spec)]), []);
    });

    it("accepts a pod-level profile when the container sets none, and fails when neither does", async () => {
        const podLevel = podSpecWithSecurity(seccomp("RuntimeDefault"), { containers: [containerWithSecurity("api", seccomp(undefined))] });
        assert.deepEqual(await violationsOf(kubernetesSeccompRuntimeDefault, [workload("Deployment", podLevel)]), []);
        const neither = podSpecWithSecurity(seccomp(undefined), { containers: [containerWithSecurity("api", seccomp(undefined))] });
        assert.deepEqual(await violationsOf(kubernetesSeccompRuntimeDefault, [workload("Deployment", neither)]), [
            `Deployment "api": container "api" (spec.template.spec.containers[0]) has seccompProfile.type unset ${NEITHER}. ${FIX}`,
        ]);
    });

    it("lets a container's own profile override the pod's, both ways", async () => {
        const containerUnconfined = podSpecWithSecurity(seccomp("RuntimeDefault"), {
            containers: [containerWithSecurity("api", seccomp("Unconfined"))],
        });
        assert.deepEqual(await violationsOf(kubernetesSeccompRuntimeDefault, [workload("Pod", containerUnconfined)]), [
            `Pod "api": container "api" (spec.containers[0]) has seccompProfile.type "Unconfined" (from the container's securityContext). ${FIX}`,
        ]);
        const containerConfined = podSpecWithSecurity(seccomp("Unconfined"), {
            containers: [containerWithSecurity("api", seccomp("RuntimeDefault")), containerWithSecurity("sidecar", seccomp(undefined))],
        });
        assert.deepEqual(await violationsOf(kubernetesSeccompRuntimeDefault, [workload("Pod", containerConfined)]), [
            `Pod "api": container "sidecar" (spec.containers[1]) has seccompProfile.type "Unconfined" (from the pod's securityContext). ${FIX}`,
        ]);
    });

    it("checks init and ephemeral containers too", async () => {
        const spec = podSpecWithSecurity(seccomp(undefined), {
            initContainers: [hardenedContainer("migrate"), containerWithSecurity("vault-agent-init", seccomp(undefined))],
            ephemeralContainers: [containerWithSecurity("debugger", seccomp("Unconfined"))],
        });
        assert.deepEqual(await violationsOf(kubernetesSeccompRuntimeDefault, [workload("CronJob", spec)]), [
            `CronJob "api": init container "vault-agent-init" (spec.jobTemplate.spec.template.spec.initContainers[1]) has seccompProfile.type unset ${NEITHER}. ${FIX}`,
            `CronJob "api": ephemeral container "debugger" (spec.jobTemplate.spec.template.spec.ephemeralContainers[0]) has seccompProfile.type "Unconfined" (from the container's securityContext). ${FIX}`,
        ]);
    });

    it("reports a container with no securityContext, in a pod with none, instead of throwing", async () => {
        const spec = podSpecWithoutSecurity({
            containers: [containerWithout("bare", "securityContext"), containerWithSecurity("typeless", { seccompProfile: {} })],
        });
        assert.deepEqual(await violationsOf(kubernetesSeccompRuntimeDefault, [workload("Pod", spec)]), [
            `Pod "api": container "bare" (spec.containers[0]) has seccompProfile.type unset ${NEITHER}. ${FIX}`,
            `Pod "api": container "typeless" (spec.containers[1]) has seccompProfile.type unset ${NEITHER}. ${FIX}`,
        ]);
    });

    it("tolerates a workload with no pod spec", async () => {
        const empty = workload("Deployment");
        empty.inputs = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" } };
        assert.deepEqual(await violationsOf(kubernetesSeccompRuntimeDefault, [empty]), []);
    });
});
