import { strict as assert } from "assert";
import { albIngressHttpOnly, isHttpPort } from "../../../policy/delivery/albIngressHttpOnly";
import { resourceOf, violationsOf } from "../../support/policyHarness";
import { albActionAnnotationKey, albActionName } from "../../../platform/rollout";

const SERVICE = "kubernetes:core/v1:Service";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const service = (name: string, ports: Record<string, unknown>[]) =>
    resourceOf("production", SERVICE, name, {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: "trading-prod" },
        spec: { type: "ClusterIP", ports },
    });
const ingress = (backend: string, annotations: Record<string, string> = {}) =>
    resourceOf("production", INGRESS, "ing", {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: { name: "ing", namespace: "trading-prod", annotations },
        spec: {
            ingressClassName: "alb",
            rules: [
                { http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: backend, port: { number: 8080 } } } }] } },
            ],
        },
    });
const HTTP = { name: "http", port: 8080, targetPort: "http" };
const FIX = { name: "fix", port: 9878, targetPort: "fix", appProtocol: "trading-platform/fix" };

describe("policy alb-ingress-http-only", () => {
    it("passes an ALB in front of HTTP services", async () => {
        assert.deepEqual(await violationsOf(albIngressHttpOnly, [service("api", [HTTP]), ingress("api")]), []);
    });

    it("fails an ALB in front of the FIX gateway, naming the port and the fix", async () => {
        const [message, ...rest] = await violationsOf(albIngressHttpOnly, [service("fix-gateway", [HTTP, FIX]), ingress("fix-gateway")]);
        assert.equal(rest.length, 0);
        assert.match(
            message,
            /Ingress trading-prod\/ing puts the ALB in front of Service "fix-gateway", whose port\(s\) fix \(trading-platform\/fix\) are not HTTP/,
        );
        assert.match(message, /Fix: drop the ingress and expose the service with an internal NLB/);
    });

    it("follows weighted forward actions to the colours' Services", async () => {
        const action = {
            type: "forward",
            forwardConfig: { targetGroups: [{ serviceName: "fix-gateway-blue", servicePort: "8080", weight: 100 }] },
        };
        const weighted = ingress(albActionName("fix-gateway"), { [albActionAnnotationKey("fix-gateway")]: JSON.stringify(action) });
        const messages = await violationsOf(albIngressHttpOnly, [service("fix-gateway-blue", [HTTP, FIX]), weighted]);
        assert.equal(messages.length, 1);
        assert.match(messages[0], /Service "fix-gateway-blue"/);
    });

    it("recognises HTTP ports by appProtocol or name", () => {
        assert.ok(isHttpPort({ name: "http" }));
        assert.ok(isHttpPort({ name: "web", appProtocol: "https" }));
        assert.ok(!isHttpPort({ name: "fix" }));
        assert.ok(!isHttpPort({ name: "http", appProtocol: "trading-platform/fix" }));
    });
});
