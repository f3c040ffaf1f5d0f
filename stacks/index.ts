// The program's entry: validate the stack's config (nothing is registered if it is invalid), then
// wire the components. Pulumi.yaml runs this file through package.json's "main".
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { declareDockerHost } from "./dockerHost";
import { declareGithub } from "./github";
import { declareImages, deployedImageReferences } from "./images";
import { declareKubernetes } from "./kubernetes";
import { declareReleaseEvidence } from "./releaseEvidence";

const config = loadStackConfig();
const dockerHost = declareDockerHost(config);
const images = declareImages(config);
const kubernetes = declareKubernetes(config, images);
const delivery = declareGithub(config);
const releaseEvidence = declareReleaseEvidence(config, kubernetes.awsProvider);

export const dockerNamespace = config.dockerHost.namespace;
export const dockerContainers = dockerHost.containerNames;
export const clusterName = kubernetes.platform.clusterName;
export const kubernetesNamespace = kubernetes.platform.namespace;
export const oidcProviderArn = kubernetes.platform.oidcProviderArn;
export const trafficWeights = Object.fromEntries(Object.entries(kubernetes.services).map(([name, service]) => [name, service.weights]));
/** What this stack pushed, by service: the references production pins when it promotes (staging only). */
export const imageDigests = pulumi.output(Object.fromEntries(Object.entries(images).map(([name, image]) => [name, image.pinnedReference])));
/** Every image this stack runs: production promotes only images staging runs (npm run promotion-gate). */
export const deployedImages = deployedImageReferences(config, images);
export const githubEnvironment = delivery.environment.environmentName;
/** Where the application's CI publishes release evidence (production only): s3://<bucket>/<prefix>/. */
export const releaseEvidenceUri = releaseEvidence?.evidenceUri;
