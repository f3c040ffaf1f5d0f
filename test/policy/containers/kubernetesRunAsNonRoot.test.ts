import { strict as assert } from "assert";
import { kubernetesRunAsNonRoot } from "../../../policy/containers/kubernetesRunAsNonRoot";
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
    "Fix: set runAsNonRoot: true and a non-zero runAsUser (e.g. 10001) in the pod's securityContext, " +
    "and remove any runAsNonRoot: false or runAsUser: 0 from the container's.";
const NEITHER = "(in both the container's and the pod's securityContext)";

describe("policy kubernetes-run-as-non-root", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a hardened ${kind} and fails one whose container may run as root`, async () => {
            assert.deepEqual(await violationsOf(kubernetesRunAsNonRoot, [workload(kind)]), []);
            const rootable = hardenedPodSpec({ containers: [containerWithSecurity("api", { runAsNonRoot: false })] });
            assert.deepEqual(await violationsOf(kubernetesRunAsNonRoot, [workload(kind, rootable)]), [
                `${kind} "api": container "api" (${POD_SPEC_PATH[kind]}.containers[0]) has runAsNonRoot false (from the container's securityContext). ${FIX}`,
            ]);
        });
    }

    it("fails a container that runs as UID 0, even with runAsNonRoot: true", async () => {
        const spec = hardenedPodSpec({ containers: [containerWithSecurity("api", { runAsUser: 0 })] });
        assert.deepEqual(await violationsOf(kubernetesRunAsNonRoot, [workload("Deployment", spec)]), [
            `Deployment "api": container "api" (spec.template.spec.containers[0]) has runAsUser 0 (root, from the container's securityContext). ${FIX}`,
        ]);
    });

    it("lists both problems of one container in one message", async () => {
        const spec = podSpecWithSecurity(
            { runAsNonRoot: undefined, runAsUser: 0 },
            { containers: [containerWithSecurity("api", { runAsNonRoot: undefined })] },
        );
        assert.deepEqual(await violationsOf(kubernetesRunAsNonRoot, [workload("StatefulSet", spec)]), [
            `StatefulSet "api": container "api" (spec.template.spec.containers[0]) has runAsNonRoot unset ${NEITHER} ` +
                `and runAsUser 0 (root, from the pod's securityContext). ${FIX}`,
        ]);
    });

    it("accepts a pod-level setting when the container sets none", async () => {
        const spec = podSpecWithSecurity(
            { runAsNonRoot: true, runAsUser: 10001 },
            { containers: [containerWithSecurity("api", { runAsNonRoot: undefined })] },
        );
        assert.deepEqual(await violationsOf(kubernetesRunAsNonRoot, [workload("Deployment", spec)]), []);
        const noPodLevel = podSpecWithoutSecurity({ containers: [containerWithSecurity("api", { runAsNonRoot: undefined })] });
        assert.deepEqual(await violationsOf(kubernetesRunAsNonRoot, [workload("Deployment", noPodLevel)]), [
            `Deployment "api": container "api" (spec.template.spec.containers[0]) has runAsNonRoot unset ${NEITHER}. ${FIX}`,
        ]);
    });

    it("lets a container's own value override the pod's, both ways", async () => {
        const containerSaysRoot = podSpecWithSecurity(
            { runAsNonRoot: true },
            { containers: [containerWithSecurity("api", { runAsNonRoot: false })] },
        );
        const containerSaysUid0 = podSpecWithSecurity(
            { runAsUser: 10001 },
            { containers: [containerWithSecurity("api", { runAsUser: 0 })] },
        );
        assert.deepEqual(
            await violationsOf(kubernetesRunAsNonRoot, [workload("Pod", containerSaysRoot), workload("Job", containerSaysUid0)]),
            [
                `Pod "api": container "api" (spec.containers[0]) has runAsNonRoot false (from the container's securityContext). ${FIX}`,
                `Job "api": container "api" (spec.template.spec.containers[0]) has runAsUser 0 (root, from the container's securityContext). ${FIX}`,
            ],
        );
        const containerFixesPod = podSpecWithSecurity(
            { runAsNonRoot: false, runAsUser: 0 },
            { containers: [containerWithSecurity("api", { runAsNonRoot: true, runAsUser: 10001 })] },
        );
        assert.deepEqual(await violationsOf(kubernetesRunAsNonRoot, [workload("Pod", containerFixesPod)]), []);
        const podRootNotOverridden = podSpecWithSecurity({ runAsUser: 0 });
        assert.deepEqual(await violationsOf(kubernetesRunAsNonRoot, [workload("Pod", podRootNotOverridden)]), [
            `Pod "api": container "api" (spec.containers[0]) has runAsUser 0 (root, from the pod's securityContext). ${FIX}`,
        ]);
    });

    it("checks init and ephemeral containers too", async () => {
        const spec = hardenedPodSpec({
            initContainers: [hardenedContainer("migrate"), containerWithSecurity("vault-agent-init", { runAsNonRoot: false })],
            ephemeralContainers: [containerWithSecurity("debugger", { runAsUser: 0 })],
        });
        assert.deepEqual(await violationsOf(kubernetesRunAsNonRoot, [workload("Deployment", spec)]), [
            `Deployment "api": init container "vault-agent-init" (spec.template.spec.initContainers[1]) has runAsNonRoot false (from the container's securityContext). ${FIX}`,
            `Deployment "api": ephemeral container "debugger" (spec.template.spec.ephemeralContainers[0]) has runAsUser 0 (root, from the container's securityContext). ${FIX}`,
        ]);
    });

    it("reports a container with no securityContext, in a pod with none, instead of throwing", async () => {
        const spec = podSpecWithoutSecurity({ containers: [containerWithout("bare", "securityContext")] });
        assert.deepEqual(await violationsOf(kubernetesRunAsNonRoot, [workload("Pod", spec)]), [
            `Pod "api": container "bare" (spec.containers[0]) has runAsNonRoot unset ${NEITHER}. ${FIX}`,
        ]);
    });

    it("tolerates a workload with no pod spec", async () => {
        const empty = workload("Deployment");
        empty.inputs = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" } };
        assert.deepEqual(await violationsOf(kubernetesRunAsNonRoot, [empty]), []);
    });
});
