import { strict as assert } from "assert";
import { kubernetesReadOnlyRootFilesystem } from "../../../policy/containers/kubernetesReadOnlyRootFilesystem";
import { hardenedContainer, hardenedPodSpec, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

describe("policy kubernetes-read-only-root-filesystem", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a hardened ${kind} and fails one with a writable root`, async () => {
            assert.deepEqual(await violationsOf(kubernetesReadOnlyRootFilesystem, [workload(kind)]), []);
            const writable = hardenedPodSpec({
                containers: [hardenedContainer("api", { securityContext: { readOnlyRootFilesystem: false } })],
            });
            const [message] = await violationsOf(kubernetesReadOnlyRootFilesystem, [workload(kind, writable)]);
            assert.match(
                message,
                new RegExp(
                    `^${kind} "api": container "api" \\(spec\\.(.*\\.)?containers\\[0\\]\\) has securityContext\\.readOnlyRootFilesystem false`,
                ),
            );
            assert.match(message, /Fix: set securityContext\.readOnlyRootFilesystem: true/);
        });
    }

    it("checks init and ephemeral containers too", async () => {
        const spec = hardenedPodSpec({
            initContainers: [{ name: "vault-agent-init", image: "hashicorp/vault:1.17" }],
            ephemeralContainers: [hardenedContainer("debugger", { securityContext: { readOnlyRootFilesystem: false } })],
        });
        const messages = await violationsOf(kubernetesReadOnlyRootFilesystem, [workload("Deployment", spec)]);
        assert.equal(messages.length, 2);
        assert.match(
            messages[0],
            /init container "vault-agent-init" \(spec\.template\.spec\.initContainers\[0\]\) has securityContext\.readOnlyRootFilesystem unset/,
        );
        assert.match(
            messages[1],
            /ephemeral container "debugger" \(spec\.template\.spec\.ephemeralContainers\[0\]\) has securityContext\.readOnlyRootFilesystem false/,
        );
    });

    it('says a string "true" is a string, so the message cannot read as a pass', async () => {
        const spec = hardenedPodSpec({ containers: [hardenedContainer("api", { securityContext: { readOnlyRootFilesystem: "true" } })] });
        const [message] = await violationsOf(kubernetesReadOnlyRootFilesystem, [workload("Deployment", spec)]);
        assert.match(
            message,
            /has securityContext\.readOnlyRootFilesystem set to the string "true", not the boolean true\. Fix: set securityContext\.readOnlyRootFilesystem: true \(a boolean\)/,
        );
    });

    it("reports a container with no securityContext at all instead of throwing", async () => {
        const spec = hardenedPodSpec({ containers: [{ name: "bare", image: "x" }] });
        const [message] = await violationsOf(kubernetesReadOnlyRootFilesystem, [workload("Pod", spec)]);
        assert.match(message, /container "bare" \(spec\.containers\[0\]\) has securityContext\.readOnlyRootFilesystem unset/);
    });

    it("tolerates a workload with no pod spec", async () => {
        const empty = workload("Deployment");
        empty.inputs = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" } };
        assert.deepEqual(await violationsOf(kubernetesReadOnlyRootFilesystem, [empty]), []);
    });
});
