import { strict as assert } from "assert";
import { kubernetesHostPorts } from "../../../policy/containers/kubernetesHostPorts";
import { hardenedContainer, hardenedPodSpec, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const ports = (list: unknown[]) => hardenedPodSpec({ containers: [hardenedContainer("api", { ports: list })] });

describe("policy kubernetes-host-ports", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a hardened ${kind} with container ports and fails one binding a host port`, async () => {
            assert.deepEqual(await violationsOf(kubernetesHostPorts, [workload(kind, ports([{ name: "http", containerPort: 8080 }]))]), []);
            const [message, ...rest] = await violationsOf(kubernetesHostPorts, [
                workload(kind, ports([{ name: "http", containerPort: 8080, hostPort: 80 }])),
            ]);
            assert.deepEqual(rest, []);
            assert.match(
                message,
                new RegExp(
                    `^${kind} "api": container "api" \\(.*containers\\[0\\]\\) ports\\[0\\] \\("http"\\) binds hostPort 80 on the node .* Fix: remove hostPort`,
                ),
            );
        });
    }

    it("accepts hostPort 0 (no host port), and judges init and ephemeral containers too", async () => {
        assert.deepEqual(await violationsOf(kubernetesHostPorts, [workload("Pod", ports([{ containerPort: 8080, hostPort: 0 }]))]), []);
        const spec = hardenedPodSpec({
            initContainers: [hardenedContainer("init", { ports: [{ containerPort: 53, hostPort: 53, protocol: "UDP" }] })],
        });
        const [message] = await violationsOf(kubernetesHostPorts, [workload("Pod", spec)]);
        assert.match(message, /init container "init" \(spec\.initContainers\[0\]\) ports\[0\] binds hostPort 53/);
    });
});
