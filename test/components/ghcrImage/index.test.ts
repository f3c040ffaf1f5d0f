import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { ciTag, GhcrImage } from "../../../components/ghcrImage";
import { runProgram } from "../../../tools/runtime/program";

const SENTINEL = "ghp_SENTINEL_push_token_never_in_a_report";
const repository = "ghcr.io/synaptic-platform/synaptictrading/api";
const sha = "4c1f9e2b7d3a5c8e0f6b1a2d9c7e4f3a8b5d6c2e";

async function build(release?: string) {
    let image: GhcrImage | undefined;
    const run = await runProgram({
        project: "trading-platform",
        stack: "staging",
        config: {},
        secretKeys: [],
        program: () => {
            image = new GhcrImage("api", {
                repository,
                component: "api",
                sourceSha: sha,
                release,
                context: "../synaptic-trading/services/api",
                platforms: ["linux/amd64", "linux/arm64"],
                registry: { server: "ghcr.io", username: "synaptic-ci", password: pulumi.secret(SENTINEL) },
            });
        },
    });
    assert.equal(run.error, undefined);
    const built = run.resources.find(r => r.type === "docker-build:index:Image");
    assert.ok(built && image);
    return { run, built, image };
}

describe("component GhcrImage", () => {
    it("builds for amd64 and arm64 and pushes the CI tag <component>-<sha>", async () => {
        const { built, image } = await build();
        assert.deepEqual(built.inputs.platforms, ["linux/amd64", "linux/arm64"]);
        assert.equal(built.inputs.push, true);
        assert.deepEqual(built.inputs.tags, [`${repository}:api-${sha}`]);
        assert.equal(image.ciReference, `${repository}:${ciTag("api", sha)}`);
        assert.deepEqual(built.inputs.context, { location: "../synaptic-trading/services/api" });
        assert.deepEqual(built.inputs.dockerfile, { location: "../synaptic-trading/services/api/Dockerfile" });
        assert.equal(built.inputs.buildOnPreview, false);
    });

    it("also pushes v<semver> on a release build", async () => {
        const { built } = await build("v1.4.0");
        assert.deepEqual(built.inputs.tags, [`${repository}:api-${sha}`, `${repository}:v1.4.0`]);
        assert.equal((built.inputs.labels as Record<string, string>)["org.opencontainers.image.version"], "v1.4.0");
    });

    it("reads and writes a registry cache next to the image", async () => {
        const { built } = await build();
        assert.deepEqual(built.inputs.cacheFrom, [{ registry: { ref: `${repository}:buildcache` } }]);
        assert.deepEqual(built.inputs.cacheTo, [
            { registry: { ref: `${repository}:buildcache`, mode: "max", imageManifest: true, ociMediaTypes: true } },
        ]);
    });

    it("authenticates to GHCR with the token as a secret", async () => {
        const { built } = await build();
        assert.deepEqual(built.secretPaths, ["registries[0].password"]);
        assert.deepEqual(built.inputs.registries, [{ address: "ghcr.io", username: "synaptic-ci", password: SENTINEL }]);
    });

    it("leaves the digest unknown until the push, as a preview does", async () => {
        const { built, image } = await build();
        assert.ok(!("digest" in built.inputs));
        const isKnown = (o: pulumi.Output<string>) => (o as unknown as { isKnown: Promise<boolean> }).isKnown;
        assert.equal(await isKnown(image.digest), false);
        assert.equal(await isKnown(image.pinnedReference), false);
    });
});
