import { strict as assert } from "assert";
import { kubernetesRootGroup } from "../../../policy/containers/kubernetesRootGroup";
import { containerWithSecurity, podSpecWithSecurity } from "../../support/hardeningFixtures";
import { hardenedPodSpec, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const FIX = "Fix: set a non-zero group (the components use 10001) and drop 0 from supplementalGroups.";

describe("policy kubernetes-root-group", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a hardened ${kind} with group 10001 and fails one in the root group`, async () => {
            assert.deepEqual(
                await violationsOf(kubernetesRootGroup, [workload(kind, podSpecWithSecurity({ runAsGroup: 10001, fsGroup: 10001 }))]),
                [],
            );
            const [message, ...rest] = await violationsOf(kubernetesRootGroup, [workload(kind, podSpecWithSecurity({ runAsGroup: 0 }))]);
            assert.deepEqual(rest, []);
            assert.match(
                message,
                new RegExp(`^${kind} "api": container "api" .* runs with runAsGroup 0 \\(root, from the pod's securityContext\\)`),
            );
        });
    }

    it("reads runAsGroup as Kubernetes applies it: the container's over the pod's", async () => {
        const overridden = podSpecWithSecurity({ runAsGroup: 0 }, { containers: [containerWithSecurity("api", { runAsGroup: 10001 })] });
        assert.deepEqual(await violationsOf(kubernetesRootGroup, [workload("Pod", overridden)]), []);
        const own = hardenedPodSpec({ containers: [containerWithSecurity("api", { runAsGroup: 0 })] });
        assert.deepEqual(await violationsOf(kubernetesRootGroup, [workload("Pod", own)]), [
            `Pod "api": container "api" (spec.containers[0]) runs with runAsGroup 0 (root, from the container's securityContext): it can read and write whatever the root group may. ${FIX}`,
        ]);
    });

    it("fails fsGroup 0 and a supplemental group 0 in one message", async () => {
        assert.deepEqual(
            await violationsOf(kubernetesRootGroup, [workload("Pod", podSpecWithSecurity({ fsGroup: 0, supplementalGroups: [10001, 0] }))]),
            [
                `Pod "api": spec.securityContext has fsGroup 0 (every mounted volume is group-owned by root) and supplementalGroups with 0. ${FIX}`,
            ],
        );
    });
});
