import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { containerEnv, DockerHostNamespace, DockerHostNamespaceArgs, DockerServiceSpec } from "../../../components/dockerHostNamespace";
import { isEngineRegistered, runProgram } from "../../../tools/runtime/program";
import { PlannedResource } from "../../../tools/engine/resource";

const SENTINEL = "ghp_SENTINEL_registry_token_do_not_leak";

const service = (overrides: Partial<DockerServiceSpec> = {}): DockerServiceSpec => ({
    image: "ghcr.io/synaptic-platform/synaptictrading/strategy-sim@sha256:" + "c".repeat(64),
    version: "v1.4.0",
    memoryMiB: 1024,
    cpus: 1,
    user: "10001:10001",
    networks: ["backend"],
    ports: [],
    healthcheck: { test: ["CMD", "/app/bin/healthcheck"], interval: "30s", timeout: "5s", retries: 3, startPeriod: "20s" },
    restart: "unless-stopped",
    env: { LOG_LEVEL: "info" },
    secrets: [],
    tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
    ...overrides,
});

const args = (): DockerHostNamespaceArgs => ({
    host: "ssh://deploy@bom-shared-docker-01",
    sshOpts: ["-o", "StrictHostKeyChecking=yes"],
    namespace: "synaptic-staging",
    environment: "staging",
    registry: { server: "ghcr.io", username: "synaptic-deploy", password: pulumi.secret(SENTINEL) },
    trading: { mode: "paper", brokerEndpoint: "https://paper-api.alpaca.markets" },
    vaultSecretsDir: "/srv/vault/rendered/synaptic-staging",
    loki: { url: "https://loki.platform.internal/loki/api/v1/push", batchSize: 400, retries: 5 },
    networks: { backend: { internal: true, subnet: "172.28.10.0/24" }, egress: { internal: false } },
    services: {
        "strategy-sim": service(),
        "rest-adapter": service({
            networks: ["backend", "egress"],
            ports: [{ internal: 8080, external: 18080, hostIp: "127.0.0.1" }],
            secrets: ["alpaca-paper-key"],
        }),
    },
});

describe("component DockerHostNamespace", () => {
    let resources: PlannedResource[];
    const byName = (type: string, name: string) => {
        const found = resources.find(r => r.type === type && r.name === name);
        assert.ok(found, `no ${type} named ${name}; declared: ${resources.map(r => r.urn).join(", ")}`);
        return found;
    };
    const container = (name: string) => byName("docker:index/container:Container", name).inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

    before(async () => {
        const run = await runProgram({
            project: "trading-platform",
            stack: "staging",
            config: {},
            secretKeys: [],
            program: () => {
                new DockerHostNamespace("synaptic-staging", args());
            },
        });
        assert.equal(run.error, undefined);
        // What the component declares: not the root stack or default providers the engine adds.
        resources = run.resources.filter(r => !isEngineRegistered(r));
    });

    it("declares exactly its provider, networks, images and containers under one component", () => {
        const types = resources.map(r => `${r.type}::${r.name}`).sort();
        assert.deepEqual(types, [
            "docker:index/container:Container::synaptic-staging-rest-adapter",
            "docker:index/container:Container::synaptic-staging-strategy-sim",
            "docker:index/network:Network::synaptic-staging-backend",
            "docker:index/network:Network::synaptic-staging-egress",
            "docker:index/remoteImage:RemoteImage::synaptic-staging-rest-adapter",
            "docker:index/remoteImage:RemoteImage::synaptic-staging-strategy-sim",
            "pulumi:providers:docker::synaptic-staging-docker",
            "trading-platform:docker:DockerHostNamespace::synaptic-staging",
        ]);
        const component = byName("trading-platform:docker:DockerHostNamespace", "synaptic-staging");
        for (const r of resources.filter(r => r !== component)) assert.equal(r.parent, component.urn, r.urn);
    });

    it("reaches the host over SSH with registry auth that stays a secret", () => {
        const provider = byName("pulumi:providers:docker", "synaptic-staging-docker");
        assert.equal(provider.inputs.host, "ssh://deploy@bom-shared-docker-01");
        assert.deepEqual(provider.secretPaths, ["registryAuth"]);
        for (const r of resources.filter(r => r.custom && r.type.startsWith("docker:index"))) {
            assert.equal(r.provider, provider.urn, `${r.urn} does not go through the SSH provider`);
        }
    });

    it("declares the namespace's networks with their isolation", () => {
        const backend = byName("docker:index/network:Network", "synaptic-staging-backend").inputs;
        assert.equal(backend.name, "synaptic-staging-backend");
        assert.equal(backend.internal, true);
        assert.deepEqual(backend.ipamConfigs, [{ subnet: "172.28.10.0/24" }]);
        assert.equal(byName("docker:index/network:Network", "synaptic-staging-egress").inputs.internal, false);
    });

    it("pulls each image by digest and keeps it on the shared host", () => {
        const image = byName("docker:index/remoteImage:RemoteImage", "synaptic-staging-strategy-sim").inputs;
        assert.equal(image.name, args().services["strategy-sim"].image);
        assert.equal(image.keepLocally, true);
        assert.equal(container("synaptic-staging-strategy-sim").image, image.name);
    });

    it("hardens every container: read-only, no capabilities, non-root, no-new-privileges, limits", () => {
        for (const name of ["synaptic-staging-strategy-sim", "synaptic-staging-rest-adapter"]) {
            const c = container(name);
            assert.equal(c.readOnly, true);
            assert.deepEqual(c.tmpfs, { "/tmp": "rw,noexec,nosuid,size=64m" });
            assert.deepEqual(c.capabilities, { drops: ["ALL"] });
            assert.deepEqual(c.securityOpts, ["no-new-privileges:true"]);
            assert.equal(c.user, "10001:10001");
            assert.equal(c.memory, 1024);
            assert.equal(c.memorySwap, 1024);
            assert.equal(c.cpus, "1");
            assert.equal(c.restart, "unless-stopped");
            assert.deepEqual(c.healthcheck, {
                tests: ["CMD", "/app/bin/healthcheck"],
                interval: "30s",
                timeout: "5s",
                retries: 3,
                startPeriod: "20s",
            });
        }
    });

    it("labels containers and ships their logs to Loki", () => {
        const c = container("synaptic-staging-rest-adapter");
        assert.deepEqual(c.labels, [
            { label: "io.synaptic.namespace", value: "synaptic-staging" },
            { label: "io.synaptic.component", value: "rest-adapter" },
            { label: "io.synaptic.version", value: "v1.4.0" },
            { label: "io.synaptic.environment", value: "staging" },
            { label: "io.synaptic.trading-mode", value: "paper" },
        ]);
        assert.equal(c.logDriver, "loki");
        assert.equal(c.logOpts["loki-url"], "https://loki.platform.internal/loki/api/v1/push");
        assert.equal(c.logOpts["loki-external-labels"], "namespace=synaptic-staging,component=rest-adapter,environment=staging");
        assert.equal(c.logOpts.mode, "non-blocking");
    });

    it("mounts the service's Vault directory read-only only when it has secrets, and points at the files", () => {
        const adapter = container("synaptic-staging-rest-adapter");
        assert.deepEqual(adapter.volumes, [
            { hostPath: "/srv/vault/rendered/synaptic-staging/rest-adapter", containerPath: "/run/secrets", readOnly: true },
        ]);
        assert.ok(adapter.envs.includes("ALPACA_PAPER_KEY_FILE=/run/secrets/alpaca-paper-key"));
        assert.equal(container("synaptic-staging-strategy-sim").volumes, undefined);
    });

    it("attaches networks with the service name as alias and publishes ports on the configured address", () => {
        const adapter = container("synaptic-staging-rest-adapter");
        assert.deepEqual(adapter.networksAdvanced, [
            { name: "synaptic-staging-backend", aliases: ["rest-adapter"] },
            { name: "synaptic-staging-egress", aliases: ["rest-adapter"] },
        ]);
        assert.deepEqual(adapter.ports, [{ internal: 8080, external: 18080, ip: "127.0.0.1", protocol: "tcp" }]);
    });

    it("never puts the registry secret in any container input", () => {
        for (const r of resources.filter(r => r.type === "docker:index/container:Container")) {
            assert.ok(!JSON.stringify(r.inputs).includes(SENTINEL), r.urn);
            assert.deepEqual(r.secretPaths, []);
        }
    });

    it("sets the trading mode flags from the stack's trading mode", () => {
        assert.deepEqual(
            containerEnv(
                { trading: { mode: "live", brokerEndpoint: "https://api.alpaca.markets" } },
                { env: {}, secrets: ["alpaca-live-key"] },
            ),
            [
                "ALPACA_LIVE_KEY_FILE=/run/secrets/alpaca-live-key",
                "ALPACA_PAPER=false",
                "BROKER_ENDPOINT=https://api.alpaca.markets",
                "DRY_RUN=false",
                "SECRETS_DIR=/run/secrets",
                "TRADING_MODE=live",
            ],
        );
    });
});
