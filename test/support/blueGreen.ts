import { BlueGreenService, BlueGreenServiceArgs } from "../../components/blueGreenService";
import { PROMETHEUS_PODS } from "../../components/clusterAddons";
import { CLUSTER_DNS } from "../../components/eksPlatform";
import { ClusterNetwork, NamespaceNetworkPolicies } from "../../components/namespaceNetworkPolicies";
import { zoneSubnets } from "../../platform/cidr";
import { BlueGreenState } from "../../components/blueGreenService/rollout";
import { isEngineRegistered, runProgram } from "../../tools/runtime/program";
import { PlannedResource } from "../../tools/engine/resource";

export const API_BLUE = "ghcr.io/synaptic-platform/synaptictrading/api@sha256:" + "1".repeat(64);
export const API_GREEN = "ghcr.io/synaptic-platform/synaptictrading/api@sha256:" + "2".repeat(64);

export function serviceArgs(rollout: BlueGreenServiceArgs["rollout"], overrides: Partial<BlueGreenServiceArgs> = {}): BlueGreenServiceArgs {
    return {
        service: "api",
        namespace: "trading-prod",
        environment: "production",
        port: 8080,
        replicas: 5,
        minReady: 3,
        resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "1Gi" } },
        probes: { readinessPath: "/readyz", livenessPath: "/healthz" },
        env: {
            LOG_LEVEL: "info",
            TRADING_MODE: "live",
            DRY_RUN: "false",
            ALPACA_PAPER: "false",
            BROKER_ENDPOINT: "https://api.alpaca.markets",
        },
        vault: { role: "trading-prod-api", secrets: { alpaca: "secret/data/trading/production/alpaca-live" } },
        imagePullSecret: "ghcr-pull",
        ingress: {
            host: "api.trading-engine.com",
            scheme: "internet-facing",
            certificateArn: "arn:aws:acm:ap-south-1:444455556666:certificate/7a9c1e3b-2d4f-4a6b-8c0e-1f3a5b7d9e2c",
            groupName: "trading-prod",
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        },
        rollout,
        ...overrides,
    };
}

export function blueGreen(state: Partial<Omit<BlueGreenState, "replicas" | "minReady">> = {}): BlueGreenServiceArgs["rollout"] {
    return {
        strategy: "blueGreen",
        state: { activeColour: "blue", images: { blue: API_BLUE, green: API_GREEN }, weight: 0, finalize: false, ...state },
    };
}

/** A cluster's network facts as production's stack derives them (10.50.0.0/16, three zones). */
export const CLUSTER_NETWORK: ClusterNetwork = {
    publicSubnetCidrs: zoneSubnets("10.50.0.0/16", 3).public,
    privateSubnetCidrs: zoneSubnets("10.50.0.0/16", 3).private,
    dns: CLUSTER_DNS,
    metricsScraper: PROMETHEUS_PODS,
    vaultAddress: "https://vault.platform.internal:8200",
};

/** The service with its namespace's network policies, as a stack declares it: what the whole pack judges. */
export function declareWithNetwork(args: BlueGreenServiceArgs, stack = "production"): Promise<PlannedResource[]> {
    return declared(stack, () => {
        const network = new NamespaceNetworkPolicies("network", { namespace: args.namespace, services: [args], cluster: CLUSTER_NETWORK });
        new BlueGreenService(args.service, args, { dependsOn: [network] });
    });
}

/** What the component declares for `args`, as the engine would record it. */
export function declare(args: BlueGreenServiceArgs, stack = "production"): Promise<PlannedResource[]> {
    return declared(stack, () => {
        new BlueGreenService(args.service, args);
    });
}

/** What `program` declares under the mock runtime: not the root stack or default providers the engine adds. */
async function declared(stack: string, program: () => void): Promise<PlannedResource[]> {
    const run = await runProgram({ project: "trading-platform", stack, config: {}, secretKeys: [], program });
    if (run.error) throw run.error;
    return run.resources.filter(r => !isEngineRegistered(r));
}

export const ofKind = (resources: PlannedResource[], kind: string) => resources.filter(r => r.type.endsWith(`:${kind}`));
export const named = (resources: PlannedResource[], kind: string, name: string) => {
    const found = ofKind(resources, kind).find(r => r.name === name);
    if (!found) throw new Error(`no ${kind} ${name} among ${resources.map(r => r.urn).join(", ")}`);
    return found.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};
