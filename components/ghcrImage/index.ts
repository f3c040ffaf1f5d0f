import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";

export interface GhcrImageArgs {
    /** `ghcr.io/<org>/<prefix>/<component>`: where the image is pushed. */
    repository: string;
    component: string;
    /** Commit being built; the CI tag is `<component>-<sha>`. */
    sourceSha: string;
    /** Release tag `v<semver>`, pushed as well on a release build. */
    release?: string;
    /** Build context (directory holding the Dockerfile). */
    context: string;
    platforms: ("linux/amd64" | "linux/arm64")[];
    registry: { server: string; username: string; password: pulumi.Input<string> };
}

/** CI tag of a build: `<component>-<sha>`, immutable by convention. */
export function ciTag(component: string, sourceSha: string): string {
    return `${component}-${sourceSha}`;
}

/**
 * One service image, built for every platform with BuildKit and pushed to GHCR under its CI tag (and
 * its release tag), reusing a registry cache. `pinnedReference` is what production deploys.
 */
export class GhcrImage extends pulumi.ComponentResource {
    /** Every tag pushed, CI tag first. */
    readonly tags: string[];
    /** The CI tag's full reference: known before the build runs, so previews can check it. */
    readonly ciReference: string;
    /** Manifest-list digest of the push (`sha256:...`); known after the build. */
    readonly digest: pulumi.Output<string>;
    /** `<repository>@<digest>`: the reference production pins. */
    readonly pinnedReference: pulumi.Output<string>;

    constructor(name: string, args: GhcrImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:images:GhcrImage", name, {}, opts);
        this.ciReference = `${args.repository}:${ciTag(args.component, args.sourceSha)}`;
        this.tags = [this.ciReference, ...(args.release ? [`${args.repository}:${args.release}`] : [])];
        const cacheRef = `${args.repository}:buildcache`;

        const image = new dockerBuild.Image(
            name,
            {
                context: { location: args.context },
                dockerfile: { location: `${args.context}/Dockerfile` },
                platforms: args.platforms,
                push: true,
                tags: this.tags,
                registries: [{ address: args.registry.server, username: args.registry.username, password: args.registry.password }],
                cacheFrom: [{ registry: { ref: cacheRef } }],
                cacheTo: [{ registry: { ref: cacheRef, mode: dockerBuild.CacheMode.Max, imageManifest: true, ociMediaTypes: true } }],
                buildArgs: { GIT_SHA: args.sourceSha, VERSION: args.release ?? ciTag(args.component, args.sourceSha) },
                labels: {
                    "org.opencontainers.image.revision": args.sourceSha,
                    "org.opencontainers.image.version": args.release ?? args.sourceSha,
                    "org.opencontainers.image.title": args.component,
                },
                // Previews should not spend minutes building multi-platform images.
                buildOnPreview: false,
            },
            { parent: this },
        );
        this.digest = image.digest;
        this.pinnedReference = pulumi.interpolate`${args.repository}@${image.digest}`;
        this.registerOutputs({ tags: this.tags, digest: this.digest, pinnedReference: this.pinnedReference });
    }
}
