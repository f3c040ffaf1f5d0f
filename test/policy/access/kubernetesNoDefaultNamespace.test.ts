import { strict as assert } from "assert";
import { kubernetesNoDefaultNamespace } from "../../../policy/access/kubernetesNoDefaultNamespace";
import { hardenedPodSpec, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { resourceOf, violationsOf } from "../../support/policyHarness";
import { EvaluatedResource } from "../../../tools/engine/resource";

const inNamespace = (resource: EvaluatedResource, namespace: string | undefined): EvaluatedResource => {
    const metadata = { ...(resource.inputs.metadata as Record<string, unknown>), namespace };
    if (namespace === undefined) delete metadata.namespace;
    const inputs = { ...resource.inputs, metadata };
    return { ...resource, inputs, outputs: inputs };
};

describe("policy kubernetes-no-default-namespace", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a ${kind} in its own namespace and fails one in default`, async () => {
            assert.deepEqual(await violationsOf(kubernetesNoDefaultNamespace, [workload(kind)]), []);
            const [message] = await violationsOf(kubernetesNoDefaultNamespace, [inNamespace(workload(kind, hardenedPodSpec()), "default")]);
            assert.match(
                message,
                new RegExp(`^${kind} "api": sets metadata.namespace "default", where no Pod Security level .* Fix: set metadata.namespace`),
            );
        });
    }

    it("fails a workload with no namespace unless its provider applies one", async () => {
        const bare = inNamespace(workload("Deployment"), undefined);
        const [message] = await violationsOf(kubernetesNoDefaultNamespace, [bare]);
        assert.match(message, /sets no metadata\.namespace, and its provider none either: it lands in `default`/);
        const provider = resourceOf("staging", "pulumi:providers:kubernetes", "cluster", { namespace: "trading-staging" });
        assert.deepEqual(await violationsOf(kubernetesNoDefaultNamespace, [provider, { ...bare, provider: provider.urn }]), []);
    });
});
