import { strict as assert } from "assert";
import { addonCharts } from "../../components/clusterAddons";
import { blueGreenPositionSchema } from "../../stacks/config/deployments";
import { PlannedResource } from "../../tools/engine/resource";
import { PlanDocument } from "../../tools/plan/document";
import { UNKNOWN } from "../../tools/runtime/propertyValues";
import { committedPlan } from "../support/committedPlans";
import { rawConfig } from "../support/stackConfig";
import { validateStackConfig } from "../../stacks/config";
import { loadPolicyConfig } from "../../tools/engine/pack";

/** kubernetes-models validates an object against the official OpenAPI schema of its kind. */
function validateKubernetesObject(object: Record<string, unknown>): void {
    const apiVersion = String(object.apiVersion);
    const kind = String(object.kind);
    // Custom resources come from the same project's per-operator packages (PodMonitor: prometheus-operator).
    const from = apiVersion.startsWith("monitoring.coreos.com/") ? "@kubernetes-models/prometheus-operator" : "kubernetes-models";
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(`${from}/${apiVersion}/${kind}`) as Record<string, new (data: unknown) => { validate(): void }>;
    new module[kind](object).validate();
}

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
const CLUSTER_SCOPED = ["kubernetes:core/v1:Namespace", "kubernetes:storage.k8s.io/v1:StorageClass"];

describe("the committed stacks", () => {
    const plans: Record<string, PlanDocument> = {};
    const declared: Record<string, PlannedResource[]> = {};
    before(async () => {
        for (const stack of ["staging", "production"] as const) {
            const result = await committedPlan(stack);
            plans[stack] = result.document;
            declared[stack] = result.resources;
        }
    });

    it("production declares the release-evidence store from its config; staging declares none", () => {
        const buckets = (stack: string) =>
            declared[stack].filter(r => r.type === "aws:s3/bucket:Bucket" && r.urn.includes("ReleaseEvidenceStore"));
        assert.deepEqual(buckets("staging"), []);
        assert.deepEqual(
            buckets("production").map(r => r.inputs.bucket),
            ["synaptic-trading-release-evidence-444455556666"],
        );
        assert.equal(plans.production.outputs.releaseEvidenceUri, "s3://synaptic-trading-release-evidence-444455556666/release-evidence/");
        assert.equal(plans.staging.outputs.releaseEvidenceUri, undefined);
    });

    for (const stack of ["staging", "production"]) {
        it(`${stack}: Prometheus' volume has its driver and class first: the EBS CSI add-on, then the default gp3 StorageClass, then kube-prometheus-stack`, () => {
            const resources = plans[stack].resources;
            const driver = resources.find(r => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "aws-ebs-csi-driver");
            const storageClass = resources.find(r => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
            const prometheus = resources.find(r => r.type === HELM_RELEASE && r.inputs.chart === "kube-prometheus-stack");
            assert.ok(driver && storageClass && prometheus);
            assert.ok(storageClass.dependencies.includes(driver.urn));
            assert.ok(prometheus.dependencies.includes(storageClass.urn) && prometheus.dependencies.includes(driver.urn));
            const claim = (
                prometheus.inputs.values as {
                    prometheus: { prometheusSpec: { storageSpec: { volumeClaimTemplate: { spec: { storageClassName: string } } } } };
                }
            ).prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec;
            assert.equal(claim.storageClassName, (storageClass.inputs.metadata as { name: string }).name);
        });

        it(`${stack}: the offline plan passes every mandatory policy`, () => {
            const { summary, policyResults } = plans[stack];
            assert.deepEqual(policyResults.errors, []);
            assert.deepEqual(
                policyResults.violations.filter(v => v.enforcementLevel === "mandatory"),
                [],
            );
            assert.equal(summary.passed, true);
        });

        it(`${stack}: every Kubernetes object validates against the official schemas`, () => {
            // The real inputs, not the report's copy: a redacted "[secret]" is not a valid field value.
            const objects = declared[stack].filter(r => r.type.startsWith("kubernetes:") && r.type !== HELM_RELEASE);
            assert.ok(objects.length >= 20, `only ${objects.length} Kubernetes objects`);
            for (const r of objects) {
                assert.ok(!JSON.stringify(r.inputs).includes(UNKNOWN), `${r.urn} has unknown values`);
                assert.doesNotThrow(() => validateKubernetesObject(r.inputs), `${r.urn} is not a valid ${r.type}`);
            }
        });

        it(`${stack}: every Kubernetes object goes through the cluster's provider into the stack's namespace`, () => {
            const provider = plans[stack].resources.find(r => r.type === "pulumi:providers:kubernetes");
            assert.ok(provider);
            const namespace = stack === "production" ? "trading-prod" : "trading-staging";
            for (const r of plans[stack].resources.filter(r => r.type.startsWith("kubernetes:"))) {
                assert.equal(r.provider, provider.urn, r.urn);
                // Add-ons run in their own namespaces (kube-system, vault, monitoring, logging).
                if (r.type === HELM_RELEASE) continue;
                const metadata = r.inputs.metadata as { name?: string; namespace?: string };
                // Cluster-scoped kinds have no namespace.
                if (!CLUSTER_SCOPED.includes(r.type)) assert.equal(metadata.namespace, namespace, r.urn);
            }
        });

        it(`${stack}: add-ons are pinned Helm releases in their namespaces, and every trading service waits for the load balancer controller and the Vault injector`, () => {
            const releases = plans[stack].resources.filter(r => r.type === HELM_RELEASE);
            const byChart = Object.fromEntries(releases.map(r => [r.inputs.chart as string, r]));
            for (const addon of Object.values(addonCharts)) {
                const release = byChart[addon.chart];
                assert.ok(release, `no release of ${addon.chart}`);
                assert.equal(release.inputs.namespace, addon.namespace);
                assert.match(String(release.inputs.version), /^\d+\.\d+\.\d+$/);
                assert.deepEqual(release.inputs.repositoryOpts, { repo: addon.repo });
            }
            const needed = [byChart["aws-load-balancer-controller"].urn, byChart.vault.urn];
            const services = declared[stack].filter(r => r.type === "trading-platform:k8s:BlueGreenService");
            assert.equal(services.length, 4);
            for (const service of services) {
                for (const urn of needed) assert.ok(service.dependencies.includes(urn), `${service.urn} does not depend on ${urn}`);
            }
        });
    }

    it("the pack's config names production's AWS account and this repository as the stack files do (the pack keeps its own copy)", () => {
        const config = (stack: "staging" | "production") => validateStackConfig(rawConfig(stack));
        const accountOf = (arn: string) => /^arn:aws:[a-z]+:[a-z0-9-]*:(\d{12}):/.exec(arn)![1];
        const production = config("production");
        const accounts = new Set([...production.eks.adminRoleArns, production.deployments.ingress.certificateArn].map(accountOf));
        assert.deepEqual([...accounts], [production.ci.accountId]);
        // The OIDC trust names this (infrastructure) repository, whose workflows assume the roles.
        const repository = `${production.github.owner}/${production.github.repositories.infrastructure}`;
        for (const stack of ["staging", "production"] as const) {
            const { config: pack } = loadPolicyConfig(stack);
            assert.deepEqual(
                (pack["github-production-credential-isolation"] as { productionAwsAccounts: string[] }).productionAwsAccounts,
                [...accounts],
            );
            assert.deepEqual((pack["github-oidc-role-trust"] as { allowedRepositories: string[] }).allowedRepositories, [repository]);
            assert.equal(`${config(stack).github.owner}/${config(stack).github.repositories.infrastructure}`, repository);
        }
        assert.ok(
            ![...config("staging").eks.adminRoleArns].map(accountOf).some(a => accounts.has(a)),
            "staging runs in production's account",
        );
    });

    it("the schema check catches an invalid object", () => {
        assert.throws(
            () =>
                validateKubernetesObject({
                    apiVersion: "apps/v1",
                    kind: "Deployment",
                    metadata: { name: "x" },
                    spec: { selector: {}, template: { spec: { containers: [{ image: "x" }] } } },
                }),
            /containers\/0 must have required property name/,
        );
    });

    it("production's promotionState output is each blue-green service's position, exactly the schema's fields, weight as in the stack file", () => {
        assert.deepEqual(plans.production.outputs.promotionState, {
            api: { activeColour: "blue", weight: 5, finalize: false, protocol: "http" },
            websocket: { activeColour: "blue", weight: 0, finalize: false, protocol: "http" },
            "fix-gateway": { activeColour: "green", weight: 0, finalize: false, protocol: "fix" },
        });
        for (const position of Object.values(plans.production.outputs.promotionState as Record<string, unknown>)) {
            assert.ok(blueGreenPositionSchema.strict().safeParse(position).success, JSON.stringify(position));
        }
        assert.deepEqual(plans.staging.outputs.promotionState, {}, "staging rolls: no position to promote");
    });

    it("production's deployedImages output lists exactly the images its containers, Deployments and smoke Jobs run", () => {
        const resources = plans.production.resources;
        const run = new Set([
            ...resources.filter(r => r.type === "docker:index/container:Container").map(r => r.inputs.image as string),
            ...resources
                .filter(r => r.type === "kubernetes:apps/v1:Deployment" || r.type === "kubernetes:batch/v1:Job")
                .map(r => (r.inputs.spec as any).template.spec.containers[0].image as string), // eslint-disable-line @typescript-eslint/no-explicit-any
        ]);
        assert.deepEqual(plans.production.outputs.deployedImages, [...run].sort());
    });

    it("staging builds every service image; production builds none and pins digests", () => {
        const builds = (stack: string) => plans[stack].resources.filter(r => r.type === "docker-build:index:Image").map(r => r.name);
        assert.deepEqual(builds("staging").sort(), ["api", "fix-gateway", "websocket", "worker"]);
        assert.deepEqual(builds("production"), []);
        const images = plans.production.resources
            .filter(r => r.type === "kubernetes:apps/v1:Deployment")
            .map(r => (r.inputs.spec as any).template.spec.containers[0].image as string); // eslint-disable-line @typescript-eslint/no-explicit-any
        assert.ok(images.length > 0 && images.every(i => /@sha256:[a-f0-9]{64}$/.test(i)), images.join("\n"));
    });
});
