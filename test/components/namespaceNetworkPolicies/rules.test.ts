import { strict as assert } from "assert";
import {
    networkPolicySpecs,
    PUBLIC_INTERNET,
    serviceTraffic,
    smokeTraffic,
    urlPort,
} from "../../../components/namespaceNetworkPolicies/rules";
import { blueGreen, CLUSTER_NETWORK, serviceArgs } from "../../support/blueGreen";

const rolling = { strategy: "rolling" as const, image: "ghcr.io/synaptic-platform/synaptictrading/api@sha256:" + "1".repeat(64) };

describe("network policy rules", () => {
    it("reads a URL's port, or its scheme's", () => {
        assert.equal(urlPort("https://vault.platform.internal:8200"), 8200);
        assert.equal(urlPort("https://api.alpaca.markets"), 443);
        assert.equal(urlPort("http://loki:3100/loki/api/v1/push"), 3100);
    });

    it("lets an internet-facing service's ALB in from the public subnets, an internal one's from the private subnets", () => {
        const facing = serviceTraffic(serviceArgs(rolling), CLUSTER_NETWORK);
        assert.deepEqual(facing.ingress[0].peer, { cidrs: CLUSTER_NETWORK.publicSubnetCidrs });
        const internal = serviceArgs(rolling);
        internal.ingress = { ...internal.ingress!, scheme: "internal" };
        assert.deepEqual(serviceTraffic(internal, CLUSTER_NETWORK).ingress[0].peer, { cidrs: CLUSTER_NETWORK.privateSubnetCidrs });
    });

    it("gives a worker (no load balancer, no secret, no broker) only Prometheus in and the data services out", () => {
        const worker = serviceArgs(rolling, {
            service: "worker",
            ingress: undefined,
            vault: { role: "r", secrets: {} },
            env: { LOG_LEVEL: "info" },
        });
        const traffic = serviceTraffic(worker, CLUSTER_NETWORK);
        assert.deepEqual(
            traffic.ingress.map(a => a.reason),
            ["Prometheus scraping the service's metrics"],
        );
        assert.deepEqual(
            traffic.egress.map(a => a.reason),
            ["the data services (PostgreSQL, Redis) in the private subnets"],
        );
        assert.deepEqual(traffic.podLabels, { "app.kubernetes.io/name": "worker" });
    });

    it("lets a smoke test's pods call the service under test on its port, only while there is a version to test", () => {
        const smoke = {
            image: "ghcr.io/synaptic-platform/synaptictrading/smoke@sha256:" + "3".repeat(64),
            args: ["--check", "paper"],
            timeout: "5m",
            env: {},
        };
        const staged = serviceArgs(blueGreen(), { smoke });
        const smokePods = { podLabels: { "app.kubernetes.io/name": "api-smoke" } };
        assert.deepEqual(
            serviceTraffic(staged, CLUSTER_NETWORK).ingress.find(a => a.reason.includes("smoke")),
            { peer: smokePods, ports: [{ port: 8080, protocol: "TCP" }], reason: "the service's smoke test checking the new version" },
        );
        assert.deepEqual(smokeTraffic(staged), {
            service: "api-smoke",
            podLabels: smokePods.podLabels,
            ingress: [],
            egress: [
                {
                    peer: { podLabels: { "app.kubernetes.io/name": "api" } },
                    ports: [{ port: 8080, protocol: "TCP" }],
                    reason: "the api version under test",
                },
            ],
        });
        // No candidate image: no Job, no allow; no smoke config: none either.
        const alone = serviceArgs(
            blueGreen({ images: { blue: (staged.rollout as { state: { images: { blue: string } } }).state.images.blue } }),
            { smoke },
        );
        assert.equal(smokeTraffic(alone), undefined);
        assert.ok(!serviceTraffic(alone, CLUSTER_NETWORK).ingress.some(a => a.reason.includes("smoke")));
        assert.equal(smokeTraffic(serviceArgs(blueGreen())), undefined);
        const specs = networkPolicySpecs([staged], CLUSTER_NETWORK);
        const policy = specs.find(p => p.name === "allow-api-smoke");
        assert.deepEqual(policy?.spec.egress, [
            { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } } }], ports: [{ port: 8080, protocol: "TCP" }] },
        ]);
    });

    it("reaches the broker on the public internet only, on its endpoint's port", () => {
        const traffic = serviceTraffic(serviceArgs(rolling), CLUSTER_NETWORK);
        const broker = traffic.egress.find(a => a.reason.includes("broker"))!;
        assert.deepEqual(broker.peer, PUBLIC_INTERNET);
        assert.deepEqual(broker.ports, [{ port: 443, protocol: "TCP" }]);
    });

    it("opens a FIX gateway's NLB port from the private subnets, and uses a given Vault block", () => {
        const fix = serviceArgs(rolling, { service: "fix-gateway", ingress: undefined, nlb: { port: 9878 } });
        const traffic = serviceTraffic(fix, { ...CLUSTER_NETWORK, vaultCidrs: ["10.10.0.0/24"] });
        assert.deepEqual(traffic.ingress[0], {
            peer: { cidrs: CLUSTER_NETWORK.privateSubnetCidrs },
            ports: [{ port: 9878, protocol: "TCP" }],
            reason: "the internal NLB's FIX sessions and TCP health checks (IP targets)",
        });
        assert.deepEqual(traffic.egress[0].peer, { cidrs: ["10.10.0.0/24"] });
        assert.deepEqual(traffic.egress[0].ports, [{ port: 8200, protocol: "TCP" }]);
    });

    it("starts with a default deny and DNS for every pod, then one policy per service", () => {
        const specs = networkPolicySpecs([serviceArgs(rolling), serviceArgs(rolling, { service: "worker" })], CLUSTER_NETWORK);
        assert.deepEqual(
            specs.map(s => s.name),
            ["default-deny", "allow-dns", "allow-api", "allow-worker"],
        );
        assert.deepEqual(specs[0].spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        assert.match(specs[2].description, /^in: the internet-facing ALB's targets .*; out: the Vault agent/);
    });
});
