// npm run bench: how long the offline plan takes per stack, and how policy evaluation grows with the
// number of resources. A benchmark, not a test: it prints numbers and asserts nothing.
import { performance } from "perf_hooks";
import { BlueGreenService } from "../components/blueGreenService";
import { generatedResources } from "./bench/generated";
import { runProgram } from "./lib/mockProgram";
import { evaluatePolicies } from "./lib/policyEngine";
import { loadPolicyPack, planStack } from "./lib/planStack";

const ms = (start: number) => performance.now() - start;

/** A program of `count` blue-green services at a canary step: how plan cost grows with services. */
function manyServices(count: number) {
    return () => {
        for (let i = 0; i < count; i++) {
            const service = `svc-${i}`;
            const image = (digit: string) => `ghcr.io/synaptic-platform/synaptictrading/${service}@sha256:${digit.repeat(64)}`;
            new BlueGreenService(service, {
                service,
                namespace: "trading-prod",
                environment: "production",
                port: 8080,
                replicas: 4,
                minReady: 2,
                resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
                probes: { readinessPath: "/readyz", livenessPath: "/healthz" },
                env: { TRADING_MODE: "live", DRY_RUN: "false", ALPACA_PAPER: "false", BROKER_ENDPOINT: "https://api.alpaca.markets" },
                vault: { role: `trading-prod-${service}`, secrets: { broker: `secret/data/trading/production/${service}-live` } },
                ingress: { host: `${service}.trading-engine.com`, scheme: "internal", certificateArn: "arn:aws:acm:ap-south-1:444455556666:certificate/00000000-0000-0000-0000-000000000000", groupName: "trading-prod", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
                rollout: { strategy: "blueGreen", state: { activeColour: "blue", images: { blue: image("1"), green: image("2") }, step: 25, finalize: false } },
            });
        }
    };
}

async function main(): Promise<void> {
    console.log("Offline plan, in process (the first run loads the SDKs):");
    for (const stack of ["staging", "production", "staging", "production"]) {
        const start = performance.now();
        const { document } = await planStack({ stack });
        console.log(`  ${stack.padEnd(10)} ${ms(start).toFixed(0).padStart(6)} ms  ${document.summary.resources} resources`);
    }

    const pack = loadPolicyPack();
    console.log("\nPlan of N blue-green services (declare under the mock runtime + evaluate the pack):");
    for (const count of [1, 10, 25, 50]) {
        const start = performance.now();
        const run = await runProgram({ project: "trading-platform", stack: "production", config: {}, secretKeys: [], program: manyServices(count) });
        if (run.error) throw run.error;
        const declared = ms(start);
        const evaluation = await evaluatePolicies(pack, run.resources);
        const mandatory = evaluation.violations.filter(v => v.enforcementLevel === "mandatory").length;
        console.log(
            `  ${String(count).padStart(3)} services ${String(run.resources.length).padStart(5)} resources ` +
                `${declared.toFixed(0).padStart(6)} ms declare ${(ms(start) - declared).toFixed(0).padStart(5)} ms policies  (${mandatory} mandatory violations)`,
        );
    }

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
