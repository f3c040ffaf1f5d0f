import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    ClusterAddons,
    ClusterAddonsArgs,
    LOAD_BALANCER_CONTROLLER_POLICY_VERSION,
    logShippingValues,
    PROMETHEUS_IN_CLUSTER_URL,
} from "../../../components/clusterAddons";
import { PlannedResource } from "../../../tools/engine/resource";
import { declareIn, ofType, one } from "../../support/components";
import { repoRoot } from "../../support/stackConfig";

const args: ClusterAddonsArgs = {
    clusterName: "trading-prod",
    clusterLabel: "trading-prod",
    region: "ap-south-1",
    vpcId: "vpc-0abc",
    oidcProviderArn: "arn:aws:iam::444455556666:oidc-provider/oidc.eks.ap-south-1.amazonaws.com/id/ABC",
    oidcIssuerUrl: "https://oidc.eks.ap-south-1.amazonaws.com/id/ABC",
    environment: "production",
    chartVersions: { loadBalancerController: "3.5.0", vaultInjector: "0.34.1", prometheus: "72.9.1", logShipping: "0.58.1" },
    vault: { externalVaultAddr: "https://vault.platform.internal:8200", authPath: "auth/kubernetes-trading-prod" },
    prometheus: { retention: "30d", retentionSize: "180GB", storageSize: "200Gi", storageClass: "gp3" },
    lokiPushUrl: "https://loki.platform.internal/loki/api/v1/push",
    tags: { environment: "production" },
};
const release = (rs: PlannedResource[], chart: string) => {
    const found = ofType(rs, "kubernetes:helm.sh/v3:Release").filter(r => r.inputs.chart === chart);
    assert.equal(found.length, 1, `expected one release of ${chart}`);
    return found[0].inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe("component ClusterAddons", () => {
    let resources: PlannedResource[];
    before(async () => {
        resources = await declareIn("production", () => void new ClusterAddons("addons", args));
    });

    it("gives the load balancer controller a role only its service account can assume, with the policy AWS publishes", () => {
        const role = one(resources, "aws:iam/role:Role").inputs;
        const trust = JSON.parse(role.assumeRolePolicy as string);
        assert.deepEqual(trust.Statement[0].Principal, { Federated: args.oidcProviderArn });
        assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
            "oidc.eks.ap-south-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:kube-system:aws-load-balancer-controller",
            "oidc.eks.ap-south-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
        });
        const policy = JSON.parse(one(resources, "aws:iam/policy:Policy").inputs.policy as string);
        const published = JSON.parse(
            fs.readFileSync(path.join(repoRoot, "components/clusterAddons/awsLoadBalancerControllerIamPolicy.json"), "utf8"),
        );
        assert.deepEqual(policy, published);
        assert.ok(policy.Statement.some((s: { Action: string[] }) => s.Action.includes("elasticloadbalancing:CreateLoadBalancer")));
        assert.equal(LOAD_BALANCER_CONTROLLER_POLICY_VERSION, "v3.5.0");
        const values = release(resources, "aws-load-balancer-controller").values;
        assert.equal(values.clusterName, "trading-prod");
        assert.equal(values.serviceAccount.name, "aws-load-balancer-controller");
        assert.ok("eks.amazonaws.com/role-arn" in values.serviceAccount.annotations);
    });

    it("pins every chart and installs it atomically in its namespace", () => {
        const releases = ofType(resources, "kubernetes:helm.sh/v3:Release").map(r => r.inputs);
        assert.deepEqual(releases.map(r => [r.chart, r.version, r.namespace]).sort(), [
            ["aws-load-balancer-controller", "3.5.0", "kube-system"],
            ["fluent-bit", "0.58.1", "logging"],
            ["kube-prometheus-stack", "72.9.1", "monitoring"],
            ["vault", "0.34.1", "vault"],
        ]);
        assert.ok(releases.every(r => r.atomic === true));
    });

    it("installs the Vault injector only, pointed at the external Vault", () => {
        const values = release(resources, "vault").values;
        assert.equal(values.server.enabled, false);
        assert.equal(values.injector.enabled, true);
        assert.equal(values.global.externalVaultAddr, "https://vault.platform.internal:8200");
        assert.equal(values.injector.authPath, "auth/kubernetes-trading-prod");
    });

    it("runs Prometheus with kube-state-metrics, the kubelet and cAdvisor scrapes, and the configured retention and storage", () => {
        const values = release(resources, "kube-prometheus-stack").values;
        assert.equal(values.kubeStateMetrics.enabled, true);
        // The colour Deployments' weight annotation, which the rollout dashboard reads (kube-state-metrics exposes none by default).
        assert.deepEqual(values["kube-state-metrics"], { metricAnnotationsAllowList: ["deployments=[trading-platform/traffic-weight]"] });
        assert.equal(values.kubelet.serviceMonitor.cAdvisor, true);
        // The path kubelets serve (the chart's default /metrics/resource/v1alpha1 is gone since Kubernetes 1.20).
        assert.deepEqual([values.kubelet.serviceMonitor.resource, values.kubelet.serviceMonitor.resourcePath], [true, "/metrics/resource"]);
        const spec = values.prometheus.prometheusSpec;
        assert.equal(spec.retention, "30d");
        assert.equal(spec.retentionSize, "180GB");
        assert.equal(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, "200Gi");
        assert.equal(spec.storageSpec.volumeClaimTemplate.spec.storageClassName, "gp3");
        assert.equal(PROMETHEUS_IN_CLUSTER_URL, "http://prometheus-operated.monitoring:9090");
    });

    it("ships pod logs to the configured Loki over TLS", () => {
        const outputs = release(resources, "fluent-bit").values.config.outputs as string;
        assert.match(outputs, /Name loki/);
        assert.match(outputs, /Host loki\.platform\.internal\n\s+Port 443\n\s+Uri \/loki\/api\/v1\/push\n\s+tls On/);
        assert.match(outputs, /Labels job=fluent-bit, cluster=trading-prod, environment=production/);
        assert.match(
            logShippingValues("http://loki:3100/loki/api/v1/push", {}).config.outputs,
            /Port 3100\n\s+Uri \/loki\/api\/v1\/push\n\s+tls Off/,
        );
    });

    it("installs Prometheus only after the storage its volume claim needs", async () => {
        let storage: import("@pulumi/pulumi").Resource[] = [];
        const withStorage = await declareIn("production", () => {
            const { StorageClass } = require("@pulumi/kubernetes").storage.v1; // eslint-disable-line @typescript-eslint/no-require-imports
            storage = [new StorageClass("gp3", { metadata: { name: "gp3" }, provisioner: "ebs.csi.aws.com" })];
            new ClusterAddons("addons", { ...args, storage });
        });
        const storageClass = withStorage.find(r => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
        const prometheus = withStorage.find(r => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "kube-prometheus-stack");
        assert.ok(storageClass && prometheus);
        assert.ok(prometheus.dependencies.includes(storageClass.urn), prometheus.dependencies.join(", "));
        const others = withStorage.filter(r => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart !== "kube-prometheus-stack");
        assert.ok(
            others.every(r => !r.dependencies.includes(storageClass.urn)),
            "only Prometheus has a volume",
        );
        assert.equal(storage.length, 1);
    });
});
