/** An image reference split into its parts: `repository[:tag][@digest]`. */
export interface ImageReference {
    repository: string;
    tag?: string;
    digest?: string;
}

export function parseImageReference(image: string): ImageReference {
    const [withoutDigest, digest] = image.split("@", 2);
    const lastSlash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.indexOf(":", lastSlash + 1);
    return colon < 0
        ? { repository: withoutDigest, digest }
        : { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
}

/** Why an image reference breaks provenance, or undefined. `production` demands a digest. */
export function imageProblem(image: string, allowedPrefixes: string[], production: boolean): string | undefined {
    const ref = parseImageReference(image);
    if (!allowedPrefixes.some(prefix => ref.repository.startsWith(prefix))) {
        return `comes from ${ref.repository}, outside the allowed registries (${allowedPrefixes.join(", ")}). Fix: push it to GHCR under the organisation and reference it from there.`;
    }
    if (ref.digest && !/^sha256:[a-f0-9]{64}$/.test(ref.digest)) {
        return `has a malformed digest. Fix: pin it as <repository>@sha256:<64 hex digits>.`;
    }
    if (production && !ref.digest) {
        return `is not pinned by digest (tag ${ref.tag ?? "none"}). Fix: production deploys only digests staging already ran: use <repository>@sha256:<digest> from staging's imageDigests output.`;
    }
    if (!ref.digest && !ref.tag) {
        return "has no tag and no digest, so it floats to whatever is latest. Fix: reference a CI tag <component>-<sha>, a release tag v<semver> or a digest.";
    }
    if (ref.tag === "latest" && !ref.digest) {
        return 'uses the tag "latest", which moves. Fix: reference a CI tag <component>-<sha>, a release tag v<semver> or a digest.';
    }
    return undefined;
}
