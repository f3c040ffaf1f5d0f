import { strict as assert } from "assert";
import { defaultDenies, kubernetesNetworkPolicyCoverage } from "../../../policy/network/kubernetesNetworkPolicyCoverage";
import { hardenedPodSpec, workload } from "../../support/fixtures";
import { resourceOf, violationsOf } from "../../support/policyHarness";

const networkPolicy = (name: string, spec: Record<string, unknown>, namespace = "trading-staging") =>
    resourceOf("staging", "kubernetes:networking.k8s.io/v1:NetworkPolicy", name, {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name, namespace },
        spec,
    });
const denyAll = networkPolicy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

describe("policy kubernetes-network-policy-coverage", () => {
    it("passes a namespace with a default deny of both directions (one policy or two)", async () => {
        assert.deepEqual(await violationsOf(kubernetesNetworkPolicyCoverage, [workload("Deployment"), denyAll]), []);
        const split = [
            networkPolicy("deny-in", { podSelector: {} }),
            networkPolicy("deny-out", { podSelector: {}, policyTypes: ["Egress"] }),
        ];
        assert.deepEqual(await violationsOf(kubernetesNetworkPolicyCoverage, [workload("Deployment"), ...split]), []);
    });

    it("fails a namespace with workloads and no default deny, naming the namespace, its workloads and the missing directions", async () => {
        const messages = await violationsOf(kubernetesNetworkPolicyCoverage, [
            workload("Deployment"),
            workload("Pod", hardenedPodSpec(), "staging", "debug"),
        ]);
        assert.deepEqual(messages.length, 1);
        assert.match(
            messages[0],
            /^Namespace "trading-staging" runs 2 workload\(s\) \(api, debug\) with no default-deny NetworkPolicy for Ingress and Egress: every pod accepts and opens connections/,
        );
    });

    it("does not count a policy that selects some pods, or allows traffic, as a default deny", async () => {
        const someone = networkPolicy("api-only", { podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Ingress", "Egress"] });
        const allowsOut = networkPolicy("egress-open", { podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{}] });
        const [message] = await violationsOf(kubernetesNetworkPolicyCoverage, [workload("Deployment"), someone, allowsOut]);
        assert.match(message, /no default-deny NetworkPolicy for Egress: every pod opens connections/);
        assert.deepEqual([...defaultDenies(allowsOut.inputs)], ["Ingress"]);
    });

    it("judges each namespace on its own policies", async () => {
        const elsewhere = networkPolicy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }, "other");
        assert.equal((await violationsOf(kubernetesNetworkPolicyCoverage, [workload("Deployment"), elsewhere])).length, 1);
        assert.deepEqual(await violationsOf(kubernetesNetworkPolicyCoverage, [denyAll]), []);
    });
});
