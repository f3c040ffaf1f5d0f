import { strict as assert } from "assert";
import { parseYamlInput } from "../../../tools/cli/inputFiles";
import { plannedResource } from "../../../tools/engine/resource";
import { setConfigOrigins, StackFileLines } from "../../../tools/plan/origins";

const stackFile = [
    "# a stack file", // 1
    "config:", // 2
    "  aws:region: eu-west-2", // 3
    "  trading-platform:dockerHost:", // 4
    "    namespace: synaptic-staging", // 5
    "    networks:", // 6
    "      backend: { internal: true }", // 7
    "    services:", // 8
    "      rest-adapter:", // 9
    "        ports:", // 10
    "          - external: 18080", // 11
    "      strategy-sim:", // 12
    "        cpus: 1", // 13
    "  deployments:", // 14: a key without the project's namespace is the project's too
    "    services:", // 15
    "      api: {}", // 16
    "",
].join("\n");
const yaml = parseYamlInput(stackFile, "Pulumi.staging.yaml");

describe("plan origins", () => {
    const lines = new StackFileLines(yaml, "trading-platform");

    it("finds a config key's line from the yaml library's source ranges, namespaced or not", () => {
        assert.equal(lines.configLine(), 2);
        assert.equal(lines.lineOf("dockerHost"), 4);
        assert.equal(lines.lineOf("dockerHost.services.rest-adapter"), 9);
        assert.equal(lines.lineOf("dockerHost.services.rest-adapter.ports.0"), 11);
        assert.equal(lines.lineOf("deployments.services.api"), 16);
    });

    it("points a key left to its default at its deepest parent in the file, and an absent section at config:", () => {
        assert.equal(lines.lineOf("dockerHost.services.strategy-sim.memory"), 12);
        assert.equal(lines.lineOf("dockerHost.loki.url"), 4);
        assert.equal(lines.lineOf("data.postgres"), 2);
    });

    it("gives children their nearest tagged ancestor's key, refined to the entry their name carries", () => {
        const stack = "urn:pulumi:staging::trading-platform::pulumi:pulumi:Stack::trading-platform-staging";
        const ns = "urn:pulumi:staging::trading-platform::trading-platform:docker:DockerHostNamespace::synaptic-staging";
        const child = (type: string, name: string, parent = ns) => plannedResource(`${ns}$${type}::${name}`, type, name, {}, { parent });
        const container = child("docker:index/container:Container", "synaptic-staging-rest-adapter");
        const network = child("docker:index/network:Network", "synaptic-staging-backend");
        const provider = child("pulumi:providers:docker", "synaptic-staging-docker");
        const grandchild = child("docker:index/volume:Volume", "synaptic-staging-strategy-sim-data", container.urn);
        const resources = [
            plannedResource(stack, "pulumi:pulumi:Stack", "trading-platform-staging", {}, { custom: false }),
            plannedResource(ns, "trading-platform:docker:DockerHostNamespace", "synaptic-staging", {}, { custom: false, parent: stack }),
            container,
            network,
            provider,
            grandchild,
        ];
        setConfigOrigins(
            resources,
            { [ns]: { key: "dockerHost", entries: ["services", "networks"] } },
            { file: "/elsewhere/Pulumi.staging.yaml", yaml },
            "trading-platform",
        );
        assert.deepEqual(
            resources.map(r => [r.name, r.origin?.line, r.origin?.configKey]),
            [
                ["trading-platform-staging", 2, undefined],
                ["synaptic-staging", 4, "trading-platform:dockerHost"],
                ["synaptic-staging-rest-adapter", 9, "trading-platform:dockerHost.services.rest-adapter"],
                ["synaptic-staging-backend", 7, "trading-platform:dockerHost.networks.backend"],
                ["synaptic-staging-docker", 4, "trading-platform:dockerHost"],
                ["synaptic-staging-strategy-sim-data", 4, "trading-platform:dockerHost"],
            ],
        );
        assert.ok(
            resources.every(r => r.origin?.file === "/elsewhere/Pulumi.staging.yaml"),
            "a file outside the repository keeps its absolute path",
        );
    });
});
