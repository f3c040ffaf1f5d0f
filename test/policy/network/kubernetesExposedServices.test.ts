import { strict as assert } from "assert";
import { nlbAnnotations } from "../../../components/blueGreenService";
import { kubernetesExposedServices, loadBalancerScheme } from "../../../policy/network/kubernetesExposedServices";
import { resourceOf, violationsOf } from "../../support/policyHarness";

const service = (spec: Record<string, unknown>, annotations: Record<string, string> = {}) =>
    resourceOf("staging", "kubernetes:core/v1:Service", "trading-staging/svc", {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "svc", namespace: "trading-staging", annotations },
        spec: { selector: { app: "api" }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
    });

describe("policy kubernetes-exposed-services", () => {
    it("passes ClusterIP Services and the FIX gateway's internal NLB as BlueGreenService declares it", async () => {
        const nlb = service({ type: "LoadBalancer", loadBalancerClass: "service.k8s.aws/nlb" }, nlbAnnotations({ port: 9878 }));
        assert.deepEqual(await violationsOf(kubernetesExposedServices, [service({}), service({ type: "ClusterIP" }), nlb]), []);
    });

    it("fails a NodePort and external IPs", async () => {
        const messages = await violationsOf(kubernetesExposedServices, [
            service({ type: "NodePort" }),
            service({ externalIPs: ["203.0.113.10"] }),
        ]);
        assert.equal(messages.length, 2);
        assert.match(messages[0], /^Service "trading-staging\/svc": type NodePort opens its ports on every node/);
        assert.match(messages[1], /spec\.externalIPs lists 1 address\(es\).*CVE-2020-8554/);
    });

    it("fails an internet-facing load balancer, from the controller or the in-tree provider, unless listed", async () => {
        const controller = service(
            { type: "LoadBalancer", loadBalancerClass: "service.k8s.aws/nlb" },
            { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" },
        );
        const inTree = service({ type: "LoadBalancer" });
        const messages = await violationsOf(kubernetesExposedServices, [controller, inTree]);
        assert.equal(messages.length, 2);
        assert.match(
            messages[0],
            /type LoadBalancer gets an internet-facing load balancer, outside the declared ALB Ingress\. Fix: set loadBalancerClass/,
        );
        assert.deepEqual(
            await violationsOf(kubernetesExposedServices, [inTree], {
                "kubernetes-exposed-services": { internetFacingServices: ["trading-staging/svc"] },
            }),
            [],
        );
    });

    it("reads the scheme as each implementation defaults it", () => {
        assert.equal(loadBalancerScheme({ loadBalancerClass: "service.k8s.aws/nlb" }, {}), "internal");
        assert.equal(loadBalancerScheme({}, { "service.beta.kubernetes.io/aws-load-balancer-type": "external" }), "internal");
        assert.equal(loadBalancerScheme({}, {}), "internet-facing");
        assert.equal(loadBalancerScheme({}, { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" }), "internal");
    });
});
