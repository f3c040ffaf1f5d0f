import { z } from "zod";
import { ConfigProblem } from "./errors";
import { EnvironmentName } from "../../platform";
import { gitSha, semverTag } from "./primitives";

/** The trading services on EKS: the REST API, the websocket feed, the FIX gateway and the queue worker. */
export const eksServiceNames = ["api", "websocket", "fix-gateway", "worker"] as const;
export type EksServiceName = (typeof eksServiceNames)[number];

export const imagesSchema = z.strictObject({
    /** Platforms every image is built for. */
    platforms: z
        .array(z.enum(["linux/amd64", "linux/arm64"]))
        .min(1)
        .default(["linux/amd64", "linux/arm64"]),
    /** Staging only: build and push these images at `sourceSha`. Production never builds. */
    build: z
        .strictObject({
            /** Commit of the application repository being built; tags CI images `<component>-<sha>`. */
            sourceSha: gitSha,
            /** Also tag the images `v<semver>` (a release build). */
            release: semverTag.optional(),
            /** Checkout of the application repository; each component builds from `<contextRoot>/<component>`. */
            contextRoot: z.string().min(1),
            components: z
                .array(z.enum(eksServiceNames))
                .min(1)
                .default([...eksServiceNames]),
        })
        .optional(),
});
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
