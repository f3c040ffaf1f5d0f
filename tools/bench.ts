// npm run bench: how long the offline plan takes per stack, and how policy evaluation grows with the
// number of resources. A benchmark, not a test: it prints numbers and asserts nothing.
import { performance } from "perf_hooks";
import { PlannedResource } from "./lib/mockProgram";
import { evaluatePolicies } from "./lib/policyEngine";
import { loadPolicyPack, planStack } from "./lib/planStack";

function generatedResources(count: number, stack: string): PlannedResource[] {
    const base = (type: string, name: string, inputs: Record<string, unknown>): PlannedResource => ({
        urn: `urn:pulumi:${stack}::trading-platform::${type}::${name}`,
        type,
        name,
        custom: true,
        inputs,
        outputs: inputs,
        secretPaths: [],
        unknownPaths: [],
        dependencies: [],
        propertyDependencies: {},
        options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [] },
    });
    const resources: PlannedResource[] = [];
    for (let i = 0; i < count; i++) {
        const name = `svc-${i}`;
        switch (i % 3) {
            case 0:
                resources.push(
                    base("docker:index/container:Container", name, {
                        name,
                        image: `ghcr.io/synaptic-platform/synaptictrading/${name}@sha256:${"a".repeat(64)}`,
                        readOnly: true,
                        envs: ["TRADING_MODE=paper", "DRY_RUN=true", "BROKER_ENDPOINT=https://paper-api.alpaca.markets", `KEY_FILE=/run/secrets/${name}`],
                        labels: [{ label: "io.synaptic.trading-mode", value: "paper" }],
                    }),
                );
                break;
            case 1:
                resources.push(
                    base("kubernetes:apps/v1:Deployment", name, {
                        apiVersion: "apps/v1",
                        kind: "Deployment",
                        metadata: { name },
                        spec: {
                            replicas: 3,
                            template: {
                                spec: {
                                    initContainers: [{ name: "init", image: "ghcr.io/x/y:v1.0.0", securityContext: { readOnlyRootFilesystem: true } }],
                                    containers: [{ name: "app", image: "ghcr.io/x/y:v1.0.0", env: [{ name: "LOG_LEVEL", value: "info" }], securityContext: { readOnlyRootFilesystem: true } }],
                                },
                            },
                        },
                    }),
                );
                break;
            default:
                resources.push(base("docker:index/network:Network", name, { name, internal: true }));
        }
    }
    return resources;
}

const ms = (start: number) => performance.now() - start;

async function main(): Promise<void> {
    console.log("Offline plan, in process (the first run loads the SDKs):");
    for (const stack of ["staging", "production", "staging", "production"]) {
        const start = performance.now();
        const { document } = await planStack({ stack });
        console.log(`  ${stack.padEnd(10)} ${ms(start).toFixed(0).padStart(6)} ms  ${document.summary.resources} resources`);
    }

    const pack = loadPolicyPack();
    console.log(`\nPolicy evaluation, ${pack.policies.length} policies (target: 10,000 resources under 1 s, linear growth):`);
    await evaluatePolicies(pack, generatedResources(300, "staging")); // warm-up
    for (const count of [2_500, 5_000, 10_000, 20_000]) {
        const resources = generatedResources(count, "staging");
        const start = performance.now();
        const result = await evaluatePolicies(pack, resources);
        const elapsed = ms(start);
        console.log(
            `  ${String(count).padStart(6)} resources ${elapsed.toFixed(0).padStart(6)} ms  ` +
                `${((elapsed * 1000) / count).toFixed(1).padStart(6)} µs/resource  (${result.counts.validationsRun} validations, ${result.violations.length} violations)`,
        );
    }
}

main().catch(e => {
    console.error(e);
    process.exitCode = 1;
});
