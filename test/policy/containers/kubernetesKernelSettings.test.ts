import { strict as assert } from "assert";
import { kubernetesKernelSettings } from "../../../policy/containers/kubernetesKernelSettings";
import { containerWithSecurity, podSpecWithSecurity } from "../../support/hardeningFixtures";
import { hardenedPodSpec, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

describe("policy kubernetes-proc-mount-sysctls", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a hardened ${kind} and fails one with an unmasked /proc`, async () => {
            assert.deepEqual(await violationsOf(kubernetesKernelSettings, [workload(kind)]), []);
            const unmasked = hardenedPodSpec({ containers: [containerWithSecurity("api", { procMount: "Unmasked" })] });
            const [message, ...rest] = await violationsOf(kubernetesKernelSettings, [workload(kind, unmasked)]);
            assert.deepEqual(rest, []);
            assert.match(
                message,
                new RegExp(`^${kind} "api": container "api" .* has securityContext\\.procMount "Unmasked" .* Fix: remove procMount`),
            );
        });
    }

    it("passes procMount Default and the safe sysctls", async () => {
        const spec = podSpecWithSecurity(
            {
                sysctls: [
                    { name: "net.ipv4.tcp_syncookies", value: "1" },
                    { name: "net.ipv4.ip_local_port_range", value: "1024 65535" },
                ],
            },
            { containers: [containerWithSecurity("api", { procMount: "Default" })] },
        );
        assert.deepEqual(await violationsOf(kubernetesKernelSettings, [workload("Deployment", spec)]), []);
    });

    it("fails a sysctl outside the safe set, naming it and where it is", async () => {
        const spec = podSpecWithSecurity({
            sysctls: [
                { name: "net.ipv4.tcp_syncookies", value: "1" },
                { name: "kernel.msgmax", value: "65536" },
                { name: "net.core.somaxconn", value: "1024" },
            ],
        });
        const messages = await violationsOf(kubernetesKernelSettings, [workload("Pod", spec)]);
        assert.equal(messages.length, 2);
        assert.match(
            messages[0],
            /^Pod "api": spec\.securityContext\.sysctls\[1\] sets "kernel\.msgmax", which is not namespaced by the kernel/,
        );
        assert.match(messages[1], /sysctls\[2\] sets "net\.core\.somaxconn"/);
    });
});
