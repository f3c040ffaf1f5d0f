// What the offline tools cost, against the targets in docs/architecture.md (`npm run bench`). CPU time
// (user+system) is the measure, since the machine may be shared; wall time is printed beside it.
// A benchmark, not a test: it prints numbers and asserts nothing.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { BlueGreenService, BlueGreenServiceArgs } from "../../components/blueGreenService";
import { PROMETHEUS_PODS } from "../../components/clusterAddons";
import { CLUSTER_DNS } from "../../components/eksPlatform";
import { NamespaceNetworkPolicies } from "../../components/namespaceNetworkPolicies";
import { zoneSubnets } from "../../platform/cidr";
import { deploymentStream } from "./manifests";
import { measureNode, medianOf, ProcessCost } from "./measure";
import { runProgram } from "../runtime/program";
import { evaluatePolicies } from "../engine/policyEngine";
import { loadPolicyPack } from "../engine/pack";
import { planStack } from "../plan/planStack";

const ms = (start: number) => performance.now() - start;

/** A program of `count` blue-green services at a canary weight, with their namespace's network policies: how plan cost grows with services. */
function manyServices(count: number) {
    return () => {
        const declarations: BlueGreenServiceArgs[] = [];
        for (let i = 0; i < count; i++) {
            const service = `svc-${i}`;
            const image = (digit: string) => `ghcr.io/synaptic-platform/synaptictrading/${service}@sha256:${digit.repeat(64)}`;
            declarations.push({
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
                ingress: {
                    host: `${service}.trading-engine.com`,
                    scheme: "internal",
                    certificateArn: "arn:aws:acm:ap-south-1:444455556666:certificate/00000000-0000-0000-0000-000000000000",
                    groupName: "trading-prod",
                    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                },
                rollout: {
                    strategy: "blueGreen",
                    state: { activeColour: "blue", images: { blue: image("1"), green: image("2") }, weight: 25, finalize: false },
                },
            });
        }
        const subnets = zoneSubnets("10.50.0.0/16", 3);
        const cluster = {
            publicSubnetCidrs: subnets.public,
            privateSubnetCidrs: subnets.private,
            dns: CLUSTER_DNS,
            metricsScraper: PROMETHEUS_PODS,
            vaultAddress: "https://vault.platform.internal:8200",
        };
        const network = new NamespaceNetworkPolicies("trading-network", { namespace: "trading-prod", services: declarations, cluster });
        for (const args of declarations) new BlueGreenService(args.service, args, { dependsOn: [network] });
    };
}

/** The SDKs and libraries the tools run on (package.json's dependencies): the floor a cold plan is measured against. */
const sdks = Object.keys(
    (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { dependencies: Record<string, string> })
        .dependencies,
);
const transpile = path.join(__dirname, "..", "transpile.js");
const runs = 3;
const cost = (c: ProcessCost) =>
    `${c.cpu.toFixed(2).padStart(5)} s CPU ${c.wall.toFixed(2).padStart(5)} s wall ${c.maxRssMB.toFixed(0).padStart(4)} MB peak`;

function coldProcesses(log: (line: string) => void): void {
    log(`Cold processes (median of ${runs} by CPU; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}):`);
    const requireSdks = sdks.map(s => `require(${JSON.stringify(s)});`).join("");
    const floor = medianOf(runs, () => measureNode(["-e", requireSdks]));
    log(`  node requiring the SDKs                ${cost(floor)}`);
    const ratios = (c: ProcessCost) => `${(c.cpu / floor.cpu).toFixed(2)}x the SDK floor (target 2x)`;
    for (const stack of ["staging", "production"]) {
        const cached = medianOf(runs, () => measureNode(["-r", transpile, "tools/plan.ts", "--stack", stack]));
        const uncached = medianOf(runs, () => measureNode(["-r", "sucrase/register/ts", "tools/plan.ts", "--stack", stack]));
        log(`  plan --stack ${stack.padEnd(10)}                ${cost(cached)}  ${ratios(cached)}`);
        log(`    the same, transpiling every file       ${cost(uncached)}  ${(uncached.cpu / floor.cpu).toFixed(2)}x`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trading-platform-bench-"));
    const stream = path.join(dir, "deployments.yaml");
    fs.writeFileSync(stream, deploymentStream(10_000));
    const check = medianOf(runs, () => measureNode(["-r", transpile, "tools/policy.ts", "check", stream, "--stack", "staging"]));
    const size = (fs.statSync(stream).size / 1e6).toFixed(1);
    log(
        `  policy check, 10,000 Deployments (${size} MB) ${cost(check)}  (target 3 s CPU; ${(check.cpu / floor.cpu).toFixed(2)}x the SDK floor)`,
    );
    fs.rmSync(dir, { recursive: true, force: true });

    log(
        "\nPolicy evaluation of generated hardened resources, whole pack (target 10,000 under 0.4 s CPU, linear): the median of three" +
            " evaluations after three warm-ups in a process of its own (10,000: the median of " +
            runs +
            " processes), and the process's first evaluation." +
            " CPU: the process's, V8's compiler and collector threads included; main: the main thread's alone:",
    );
    for (const count of [10_000, 20_000, 40_000]) {
        const run = medianOf(count === 10_000 ? runs : 1, () =>
            measureNode(["--expose-gc", "-r", transpile, "tools/bench/evaluate.ts", String(count)]),
        );
        type Cost = { cpu: number; main?: number; wall: number };
        const result = JSON.parse(run.stdout) as Cost & { first: Cost; validations: number; violations: number };
        const show = (c: Cost) =>
            `${c.cpu.toFixed(3)} s CPU${c.main === undefined ? "" : ` (main ${c.main.toFixed(3)})`} ${c.wall.toFixed(3)} s wall`;
        log(
            `  ${String(count).padStart(6)} resources ${show(result)} ${((result.cpu * 1e6) / count).toFixed(1).padStart(5)} µs CPU/resource; ` +
                `first ${show(result.first)}  ${run.maxRssMB.toFixed(0)} MB peak process  (${result.validations} validations, ${result.violations} violations)`,
        );
    }
}

/** Runs every measurement, printing each line through `log` as it is taken. */
export async function runBench(log: (line: string) => void): Promise<void> {
    coldProcesses(log);
    log("");
    log("Offline plan, in process (the first run loads the SDKs):");
    for (const stack of ["staging", "production", "staging", "production"]) {
        const start = performance.now();
        const { document } = await planStack({ stack });
        log(`  ${stack.padEnd(10)} ${ms(start).toFixed(0).padStart(6)} ms  ${document.summary.resources} resources`);
    }

    const pack = loadPolicyPack();
    log("\nPlan of N blue-green services (declare under the mock runtime + evaluate the pack):");
    for (const count of [1, 10, 25, 50]) {
        const start = performance.now();
        const run = await runProgram({
            project: "trading-platform",
            stack: "production",
            config: {},
            secretKeys: [],
            program: manyServices(count),
        });
        if (run.error) throw run.error;
        const declared = ms(start);
        const evaluation = await evaluatePolicies(pack, run.resources);
        const mandatory = evaluation.violations.filter(v => v.enforcementLevel === "mandatory").length;
        log(
            `  ${String(count).padStart(3)} services ${String(run.resources.length).padStart(5)} resources ` +
                `${declared.toFixed(0).padStart(6)} ms declare ${(ms(start) - declared).toFixed(0).padStart(5)} ms policies  (${mandatory} mandatory violations)`,
        );
    }
}
