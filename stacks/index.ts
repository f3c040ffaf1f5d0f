// The program's entry: validate the stack's config (nothing is registered if it is invalid), then
// wire the components. Pulumi.yaml runs this file through package.json's "main".
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { blueGreenPositions } from "./config/deployments";
import { PROMETHEUS_IN_CLUSTER_URL } from "../components/clusterAddons";
import { declareCiIdentities } from "./ci";
import { declareDashboard } from "./dashboard";
import { declareData } from "./data";
import { declareDockerHost } from "./dockerHost";
import { declareGithub } from "./github";
import { declareImages, deployedImageReferences } from "./images";
import { declareKubernetes } from "./kubernetes";
import { declareReleaseEvidence } from "./releaseEvidence";

const config = loadStackConfig();
const dockerHost = declareDockerHost(config);
const images = declareImages(config);
const kubernetes = declareKubernetes(config, images);
const data = declareData(config, kubernetes.platform, { providers: { aws: kubernetes.awsProvider } });
const delivery = declareGithub(config);
const ci = declareCiIdentities(config, kubernetes.awsProvider);
const releaseEvidence = declareReleaseEvidence(config, kubernetes.awsProvider);
const dashboard = declareDashboard(config);

export const dockerNamespace = config.dockerHost.namespace;
export const dockerContainers = dockerHost.containerNames;
export const clusterName = kubernetes.platform.clusterName;
export const kubernetesNamespace = kubernetes.platform.namespace;
export const oidcProviderArn = kubernetes.platform.oidcProviderArn;
/** Each blue-green service's position (BlueGreenPosition: active colour, weight, finalize, protocol) as deployed: what `npm run promote` resumes from. */
export const promotionState = blueGreenPositions(config.deployments);
export const trafficWeights = Object.fromEntries(Object.entries(kubernetes.services).map(([name, service]) => [name, service.weights]));
/** What this stack pushed, by service: the references production pins when it promotes (staging only). */
export const imageDigests = pulumi.output(Object.fromEntries(Object.entries(images).map(([name, image]) => [name, image.pinnedReference])));
/** Every image this stack runs: production promotes only images staging runs (npm run promotion-gate). */
export const deployedImages = deployedImageReferences(config, images);
// Where the services connect; credentials reach pods through Vault, never through outputs.
export const postgresEndpoint = { address: data.postgres.address, port: data.postgres.port };
/** ARN of the Secrets Manager secret RDS keeps the master password in: Vault reads it from there. */
export const postgresMasterSecretArn = data.postgres.masterSecretArn;
export const redisEndpoint = { primary: data.redis.primaryEndpoint, reader: data.redis.readerEndpoint, port: data.redis.port };
export const dataBuckets = { catalogs: data.buckets.catalogs.bucketName, backups: data.buckets.backups.bucketName };
/** The restore drill's instance while `data.restoreDrill.enabled` is on (docs/runbook.md). */
export const restoreDrillEndpoint = data.drill ? { address: data.drill.address, port: data.drill.port } : undefined;
/** Where metric-gated promotion queries Prometheus, inside the cluster. */
export const prometheusUrl = PROMETHEUS_IN_CLUSTER_URL;
export const githubEnvironment = delivery.environment.environmentName;
/** Who CI runs as (docs/ci-identities.md), and the secrets provider the stack's state moves to at bootstrap. */
export const ciIdentities = {
    deployRoleArn: ci.deployRoleArn,
    driftRoleArn: ci.driftRoleArn,
    ...(ci.previewRoleArn ? { previewRoleArn: ci.previewRoleArn } : {}),
    stateSecretsProvider: ci.stateSecretsProvider,
};
/** Where the application's CI publishes release evidence (production only): s3://<bucket>/<prefix>/. */
export const releaseEvidenceUri = releaseEvidence?.evidenceUri;
/** The rollout dashboard in the team's Grafana (production, with promotion.dashboard). */
export const rolloutDashboardUrl = dashboard?.url;
