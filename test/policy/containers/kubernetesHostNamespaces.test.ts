import { strict as assert } from "assert";
import { kubernetesHostNamespaces } from "../../../policy/containers/kubernetesHostNamespaces";
import { POD_SPEC_PATH } from "../../support/hardeningFixtures";
import { hardenedContainer, hardenedPodSpec, SHAPED_KINDS, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

describe("policy kubernetes-host-namespaces", () => {
    for (const kind of [...WORKLOAD_KINDS, ...SHAPED_KINDS]) {
        it(`passes a hardened ${kind} and fails one on the node's network`, async () => {
            assert.deepEqual(await violationsOf(kubernetesHostNamespaces, [workload(kind)]), []);
            const [message, ...rest] = await violationsOf(kubernetesHostNamespaces, [
                workload(kind, hardenedPodSpec({ hostNetwork: true })),
            ]);
            assert.deepEqual(rest, []);
            assert.match(
                message,
                new RegExp(
                    `^${kind} "api": ${(POD_SPEC_PATH[kind] ?? "spec.template.spec").replace(/\./g, "\\.")}\\.hostNetwork true .* Fix: remove hostNetwork`,
                ),
            );
        });
    }

    it("names every shared namespace in one message, and passes them set false", async () => {
        const all = hardenedPodSpec({ hostNetwork: true, hostPID: true, hostIPC: true });
        const [message] = await violationsOf(kubernetesHostNamespaces, [workload("DaemonSet", all)]);
        assert.match(message, /hostNetwork true and spec\.template\.spec\.hostPID true and spec\.template\.spec\.hostIPC true/);
        assert.match(message, /Fix: remove hostNetwork, hostPID, hostIPC/);
        assert.deepEqual(
            await violationsOf(kubernetesHostNamespaces, [
                workload("DaemonSet", hardenedPodSpec({ hostNetwork: false, hostPID: false, hostIPC: false })),
            ]),
            [],
        );
    });

    it("fails a Windows host process at the pod or the container level", async () => {
        const pod = hardenedPodSpec({ securityContext: { runAsNonRoot: true, windowsOptions: { hostProcess: true } } });
        const container = hardenedPodSpec({
            containers: [hardenedContainer("api", { securityContext: { windowsOptions: { hostProcess: true } } })],
        });
        assert.deepEqual(await violationsOf(kubernetesHostNamespaces, [workload("Pod", pod), workload("Pod", container)]), [
            'Pod "api": spec.securityContext.windowsOptions.hostProcess true. Fix: remove hostProcess.',
            'Pod "api": container "api" (spec.containers[0]) has securityContext.windowsOptions.hostProcess true. Fix: remove hostProcess.',
        ]);
    });
});
