import { z } from "zod";
import { ConfigProblem } from "./errors";
import { EnvironmentName } from "../../platform";
import { gitSha, semverTag } from "./primitives";

/** The trading services on EKS: the REST API, the websocket feed, the FIX gateway and the queue worker. */
export const eksServiceNames = ["api", "websocket", "fix-gateway", "worker"] as const;
export type EksServiceName = (typeof eksServiceNames)[number];

export const imagesSchema = z
    .strictObject({
        platforms: z
            .array(z.enum(["linux/amd64", "linux/arm64"]))
            .min(1)
            .default(["linux/amd64", "linux/arm64"])
            .describe("Platforms every image is built for."),
        build: z
            .strictObject({
                sourceSha: gitSha.describe("Commit of the application repository built; CI images are tagged `<component>-<sha>`."),
                release: semverTag.optional().describe("Also push the release tag `v<semver>` (a release build)."),
                contextRoot: z.string().min(1).meta({
                    title: "path",
                    description:
                        "Checkout of the application repository (the workflow checks it out at `app/`); each component builds from `<contextRoot>/<component>`.",
                }),
                components: z
                    .array(z.enum(eksServiceNames))
                    .min(1)
                    .default([...eksServiceNames])
                    .describe("Which images this stack builds."),
            })
            .optional()
            .describe(
                "Build and push the images at `sourceSha`: staging must have it, production must not (it deploys digests staging ran).",
            ),
    })
    .describe("The images of the trading services: the platforms they are built for, and (staging) what to build.");
export type ImagesConfig = z.infer<typeof imagesSchema>;

export function imagesRules(key: string, environment: EnvironmentName, images: ImagesConfig): ConfigProblem[] {
    if (environment === "production" && images.build) {
        return [
            { key: `${key}.build`, expected: "no build section: production deploys digests staging already ran", found: "a build section" },
        ];
    }
    if (environment === "staging" && !images.build) {
        return [{ key: `${key}.build`, expected: "a build section: staging builds and pushes the images it deploys", found: "nothing" }];
    }
    return [];
}
