import { strict as assert } from "assert";
import { imageProvenance } from "../../../policy/images/imageProvenance";
import { parseImageReference } from "../../../policy/lib/images";
import { dockerContainer, hardenedContainer, hardenedPodSpec, workload } from "../../support/fixtures";
import { resourceOf, violationsOf } from "../../support/policyHarness";

const digest = "@sha256:" + "d".repeat(64);
const repo = "ghcr.io/synaptic-platform/synaptictrading/api";
const withImage = (stack: string, image: string, kind = "Deployment") =>
    workload(kind, hardenedPodSpec({ containers: [hardenedContainer("api", { image })] }), stack);

describe("policy image-provenance", () => {
    it("accepts CI tags, release tags and digests in staging, and digests in production", async () => {
        const ok = [
            withImage("staging", `${repo}:api-4c1f9e2`),
            withImage("staging", `${repo}:v1.4.0`),
            withImage("production", `${repo}${digest}`),
            dockerContainer("production"),
        ];
        assert.deepEqual(await violationsOf(imageProvenance, ok), []);
    });

    it("refuses images from outside the organisation's GHCR packages", async () => {
        const [message] = await violationsOf(imageProvenance, [withImage("staging", "docker.io/library/nginx:1.27")]);
        assert.match(
            message,
            /^Deployment "api": container "api" \(spec\.template\.spec\.containers\[0\]\) image comes from docker\.io\/library\/nginx, outside the allowed registries \(ghcr\.io\/synaptic-platform\/\)\. Fix: push it to GHCR/,
        );
    });

    it("refuses latest and untagged images", async () => {
        const [latest] = await violationsOf(imageProvenance, [withImage("staging", `${repo}:latest`)]);
        assert.match(latest, /uses the tag "latest", which moves\. Fix: /);
        const [untagged] = await violationsOf(imageProvenance, [withImage("staging", repo)]);
        assert.match(untagged, /has no tag and no digest/);
    });

    it("demands a digest in production, for init containers and Docker containers too", async () => {
        const spec = hardenedPodSpec({ initContainers: [hardenedContainer("migrate", { image: `${repo}:v1.4.0` })] });
        const [init] = await violationsOf(imageProvenance, [workload("Job", spec, "production")]);
        assert.match(
            init,
            /init container "migrate" .* image is not pinned by digest \(tag v1\.4\.0\)\. Fix: production deploys only digests staging already ran/,
        );
        const [docker] = await violationsOf(imageProvenance, [
            dockerContainer("production", { image: "ghcr.io/synaptic-platform/synaptictrading/rest-adapter:v1.3.2" }),
        ]);
        assert.match(docker, /^Container "synaptic-production-rest-adapter": image is not pinned by digest/);
    });

    it("checks pulled and built images, and refuses any build in production", async () => {
        const remote = resourceOf("staging", "docker:index/remoteImage:RemoteImage", "pull", { name: "quay.io/x/y:1" });
        const [pull] = await violationsOf(imageProvenance, [remote]);
        assert.match(pull, /^RemoteImage "pull": image comes from quay\.io\/x\/y/);
        const build = (stack: string, tags: string[]) => resourceOf(stack, "docker-build:index:Image", "api", { push: true, tags });
        assert.deepEqual(await violationsOf(imageProvenance, [build("staging", [`${repo}:api-4c1f9e2`, `${repo}:v1.4.0`])]), []);
        const [latest] = await violationsOf(imageProvenance, [build("staging", [`${repo}:latest`])]);
        assert.match(latest, /^Image build "api": tag .*:latest uses the tag "latest"/);
        const [prod] = await violationsOf(imageProvenance, [build("production", [`${repo}:v1.4.0`])]);
        assert.match(prod, /in a production stack\. Fix: production never builds/);
    });

    it("takes its registries from policy config", async () => {
        const messages = await violationsOf(imageProvenance, [withImage("staging", "registry.internal/trading/api:v1.0.0")], {
            "image-provenance": { allowedRepositoryPrefixes: ["registry.internal/trading/"] },
        });
        assert.deepEqual(messages, []);
    });

    it("parses references with registry ports, tags and digests", () => {
        assert.deepEqual(parseImageReference("localhost:5000/a/b:v1@sha256:ff"), {
            repository: "localhost:5000/a/b",
            tag: "v1",
            digest: "sha256:ff",
        });
        assert.deepEqual(parseImageReference("ghcr.io/o/r"), { repository: "ghcr.io/o/r", digest: undefined });
    });
});
