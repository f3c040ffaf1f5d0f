import { strict as assert } from "assert";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PlannedResource } from "../../../tools/engine/resource";
import { BROKER_ENDPOINT } from "../../../platform/trading";
import { dataPorts } from "../../../platform/data";
import { zoneSubnets } from "../../../platform/cidr";
import { committedPlan } from "../../support/committedPlans";
import { validateStackConfig } from "../../../stacks/config";
import { rawConfig } from "../../support/stackConfig";
import { CLUSTER_NETWORK, declareWithNetwork, serviceArgs } from "../../support/blueGreen";
import { urlPort } from "../../../components/namespaceNetworkPolicies";
import { SMOKE_ENV } from "../../../components/blueGreenService";

type Labels = Record<string, string>;
type Spec = {
    podSelector?: { matchLabels?: Labels };
    policyTypes?: string[];
    ingress?: { from?: Record<string, any>[]; ports?: { port: number | string; protocol: string }[] }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    egress?: { to?: Record<string, any>[]; ports?: { port: number | string; protocol: string }[] }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const selects = (selector: Labels | undefined, labels: Labels) => Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
const inputs = (r: PlannedResource) => r.inputs as any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A peer as one comparable word: `cidr:<blocks>` or `pods:<namespace>/<labels>`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function peerWord(peer: Record<string, any>): string {
    if (peer.ipBlock) return `cidr:${peer.ipBlock.cidr}${peer.ipBlock.except ? " except private" : ""}`;
    // A pod selector without a namespace selector means the policy's own namespace.
    if (!peer.namespaceSelector) return `pods:self/${JSON.stringify(peer.podSelector.matchLabels)}`;
    return `pods:${peer.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]}/${JSON.stringify(peer.podSelector.matchLabels)}`;
}

/** Every flow the namespace's NetworkPolicies allow a pod with `labels`: "in|out <peer> <port>/<protocol>". */
function allowedFlows(policies: PlannedResource[], labels: Labels): string[] {
    const flows = new Set<string>();
    for (const policy of policies) {
        const spec = inputs(policy).spec as Spec;
        if (!selects(spec.podSelector?.matchLabels, labels)) continue;
        for (const rule of spec.ingress ?? []) {
            for (const peer of rule.from ?? []) for (const p of rule.ports ?? []) flows.add(`in ${peerWord(peer)} ${p.port}/${p.protocol}`);
        }
        for (const rule of spec.egress ?? []) {
            for (const peer of rule.to ?? []) for (const p of rule.ports ?? []) flows.add(`out ${peerWord(peer)} ${p.port}/${p.protocol}`);
        }
    }
    return [...flows].sort();
}

/** The flows a pod needs, read from what else the stack declares about it: the objects that send it traffic, its annotations and its env. */
function neededFlows(resources: PlannedResource[], deployment: PlannedResource, stack: "staging" | "production"): string[] {
    const config = validateStackConfig(rawConfig(stack));
    const subnets = zoneSubnets(config.eks.vpcCidr, config.eks.availabilityZones.length);
    const template = inputs(deployment).spec.template;
    const labels = template.metadata.labels as Labels;
    const container = template.spec.containers[0];
    const portOf = (port: number | string) =>
        typeof port === "number" ? port : (container.ports.find((p: { name: string }) => p.name === port)?.containerPort as number);
    const flows = new Set<string>();
    const of = (kind: string) => resources.filter(r => r.type.endsWith(`:${kind}`));
    const services = of("Service").filter(s => inputs(s).spec.selector && selects(inputs(s).spec.selector, labels));
    // The ALB Ingress forwards to Services by name (a backend, or its weighted action's target groups).
    for (const ingress of of("Ingress")) {
        const annotations = inputs(ingress).metadata.annotations as Labels;
        const targets = Object.entries(annotations)
            .filter(([k]) => k.startsWith("alb.ingress.kubernetes.io/actions."))
            .flatMap(([, v]) => JSON.parse(v).forwardConfig.targetGroups.map((t: { serviceName: string }) => t.serviceName));
        const backends = inputs(ingress).spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.backend.service.name)); // eslint-disable-line @typescript-eslint/no-explicit-any
        const scheme = annotations["alb.ingress.kubernetes.io/scheme"];
        for (const service of services.filter(s => [...targets, ...backends].includes(inputs(s).metadata.name))) {
            for (const p of inputs(service).spec.ports) {
                for (const cidr of scheme === "internet-facing" ? subnets.public : subnets.private) {
                    flows.add(`in cidr:${cidr} ${portOf(p.targetPort)}/TCP`);
                }
            }
        }
    }
    // Every LoadBalancer Service is an internal NLB: its nodes sit in the private subnets.
    for (const service of services.filter(s => inputs(s).spec.type === "LoadBalancer")) {
        for (const p of inputs(service).spec.ports) {
            for (const cidr of subnets.private) flows.add(`in cidr:${cidr} ${portOf(p.targetPort)}/TCP`);
        }
    }
    for (const monitor of of("PodMonitor").filter(m => selects(inputs(m).spec.selector.matchLabels, labels))) {
        for (const endpoint of inputs(monitor).spec.podMetricsEndpoints) {
            flows.add(`in pods:monitoring/{"app.kubernetes.io/name":"prometheus"} ${portOf(endpoint.port)}/TCP`);
        }
    }
    // A smoke test's Job calls the version under test through its Service; the next release tests the other colour.
    for (const job of smokeJobs(resources)) {
        const target = services.length ? of("Service").find(s => inputs(s).metadata.name === job.targetService) : undefined;
        if (target && inputs(target).spec.selector["app.kubernetes.io/name"] === labels["app.kubernetes.io/name"]) {
            // Selected by name, the label every pod of the Job carries.
            flows.add(`in pods:self/${JSON.stringify({ "app.kubernetes.io/name": job.labels["app.kubernetes.io/name"] })} ${job.port}/TCP`);
        }
    }
    for (const protocol of ["UDP", "TCP"]) flows.add(`out pods:kube-system/{"k8s-app":"kube-dns"} 53/${protocol}`);
    if (template.metadata.annotations["vault.hashicorp.com/agent-inject"] === "true") {
        flows.add(`out cidr:0.0.0.0/0 ${urlPort(config.addons.vaultInjector.externalVaultAddr)}/TCP`);
    }
    for (const port of Object.values(dataPorts)) for (const cidr of subnets.private) flows.add(`out cidr:${cidr} ${port}/TCP`);
    const broker = (container.env as { name: string; value: string }[]).find(e => e.name === BROKER_ENDPOINT);
    if (broker) flows.add(`out cidr:0.0.0.0/0 except private ${urlPort(broker.value)}/TCP`);
    return [...flows].sort();
}

/** Each smoke-test Job of the plan: its pods' labels, and the Service and port its target URL names. */
function smokeJobs(resources: PlannedResource[]) {
    return resources
        .filter(r => r.type === "kubernetes:batch/v1:Job")
        .map(job => {
            const template = inputs(job).spec.template;
            const url = new URL(
                (template.spec.containers[0].env as { name: string; value: string }[]).find(e => e.name === SMOKE_ENV.targetUrl)!.value,
            );
            return { urn: job.urn, labels: template.metadata.labels as Labels, targetService: url.hostname, port: Number(url.port) };
        });
}

describe("component NamespaceNetworkPolicies", () => {
    for (const stack of ["staging", "production"] as const) {
        it(`${stack}: each service's pods are allowed exactly the flows its declaration implies, and nothing else`, async () => {
            const { resources } = await committedPlan(stack);
            const policies = resources.filter(r => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
            const deployments = resources.filter(r => r.type === "kubernetes:apps/v1:Deployment");
            assert.ok(deployments.length >= 4);
            for (const deployment of deployments) {
                const labels = inputs(deployment).spec.template.metadata.labels as Labels;
                assert.deepEqual(allowedFlows(policies, labels), neededFlows(resources, deployment, stack), deployment.urn);
            }
        });

        it(`${stack}: each smoke test's pods may resolve names and call the service they test on its port, and nothing else`, async () => {
            const { resources } = await committedPlan(stack);
            const policies = resources.filter(r => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
            const jobs = smokeJobs(resources);
            assert.ok(jobs.length > 0, "the committed stack declares smoke tests");
            for (const job of jobs) {
                const target = resources.find(
                    r => r.type === "kubernetes:core/v1:Service" && inputs(r).metadata.name === job.targetService,
                );
                assert.ok(target, `${job.urn} calls ${job.targetService}, which the stack does not declare`);
                const service = { "app.kubernetes.io/name": inputs(target).spec.selector["app.kubernetes.io/name"] };
                const expected = [
                    `out pods:kube-system/{"k8s-app":"kube-dns"} 53/TCP`,
                    `out pods:kube-system/{"k8s-app":"kube-dns"} 53/UDP`,
                    `out pods:self/${JSON.stringify(service)} ${job.port}/TCP`,
                ];
                assert.deepEqual(allowedFlows(policies, job.labels), expected.sort(), job.urn);
            }
        });

        it(`${stack}: a default-deny policy isolates every pod of the namespace in both directions`, async () => {
            const { resources } = await committedPlan(stack);
            const deny = resources.filter(r => r.type.endsWith(":NetworkPolicy") && inputs(r).metadata.name === "default-deny");
            assert.equal(deny.length, 1);
            assert.deepEqual(inputs(deny[0]).spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        });
    }

    it("declares policies that validate against the official NetworkPolicy schema", async () => {
        const resources = await declareWithNetwork(
            serviceArgs({ strategy: "rolling", image: "ghcr.io/synaptic-platform/synaptictrading/api@sha256:" + "1".repeat(64) }),
        );
        const policies = resources.filter(r => r.type.endsWith(":NetworkPolicy"));
        assert.deepEqual(policies.map(p => inputs(p).metadata.name).sort(), ["allow-api", "allow-dns", "default-deny"]);
        for (const policy of policies) assert.doesNotThrow(() => new NetworkPolicy(policy.inputs as never).validate(), policy.urn);
        assert.equal(CLUSTER_NETWORK.dns.port, 53);
    });
});
