import * as docker from "@pulumi/docker";
import * as dockerBuild from "@pulumi/docker-build";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { imageProblem } from "../lib/images";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { environmentOf, EnvironmentStacks, environmentStacksSchema } from "../lib/stacks";
import { withMetadata } from "../lib/metadata";

interface ProvenanceConfig extends EnvironmentStacks {
    allowedRepositoryPrefixes: string[];
}

const isProduction = (urn: string, config: ProvenanceConfig) => environmentOf(urn, config) === "production";

export const imageProvenance: ResourceValidationPolicy = {
    name: "image-provenance",
    description:
        "Images come from the organisation's GHCR packages, never untagged or `latest`, and production pins every image by digest.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["supply-chain", "kubernetes", "docker"] }),
    configSchema: {
        properties: {
            ...environmentStacksSchema,
            allowedRepositoryPrefixes: {
                type: "array",
                items: { type: "string" },
                default: ["ghcr.io/synaptic-platform/"],
                description: "Repository prefixes images may come from.",
            },
        },
    },
    validateResource: [
        validateResourceOfType(docker.Container, (container, args, reportViolation) => {
            const config = args.getConfig<ProvenanceConfig>();
            const problem = imageProblem(container.image, config.allowedRepositoryPrefixes, isProduction(args.urn, config));
            if (problem) reportViolation(`Container "${container.name ?? args.name}": image ${problem}`);
        }),
        validateResourceOfType(docker.RemoteImage, (image, args, reportViolation) => {
            const config = args.getConfig<ProvenanceConfig>();
            const problem = imageProblem(image.name, config.allowedRepositoryPrefixes, isProduction(args.urn, config));
            if (problem) reportViolation(`RemoteImage "${args.name}": image ${problem}`);
        }),
        validateResourceOfType(dockerBuild.Image, (image, args, reportViolation) => {
            const config = args.getConfig<ProvenanceConfig>();
            if (isProduction(args.urn, config)) {
                reportViolation(
                    `Image build "${args.name}" in a production stack. Fix: production never builds; promote the digest staging built and ran.`,
                );
                return;
            }
            for (const tag of image.tags ?? []) {
                const problem = imageProblem(tag, config.allowedRepositoryPrefixes, false);
                if (problem) reportViolation(`Image build "${args.name}": tag ${tag} ${problem}`);
            }
        }),
        ...forEachWorkload((workload, args, reportViolation) => {
            const config = args.getConfig<ProvenanceConfig>();
            for (const ref of containersOf(workload)) {
                const problem = imageProblem(ref.container.image ?? "", config.allowedRepositoryPrefixes, isProduction(args.urn, config));
                if (problem) reportViolation(`${workload.kind} "${args.name}": ${describeContainer(ref)} image ${problem}`);
            }
        }),
    ],
};
