import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { dockerConfigJson, GhcrPullSecret } from "../../../components/ghcrPullSecret";
import { runProgram } from "../../../tools/runtime/program";

const SENTINEL = "ghp_SENTINEL_pull_token_never_in_plain_inputs";

async function declare() {
    const run = await runProgram({
        project: "trading-platform",
        stack: "staging",
        config: {},
        secretKeys: [],
        program: () => {
            new GhcrPullSecret("ghcr-pull", {
                namespace: "trading-staging",
                server: "ghcr.io",
                username: "synaptic-ci",
                token: pulumi.secret(SENTINEL),
            });
        },
    });
    assert.equal(run.error, undefined);
    const component = run.resources.find(r => r.type === "trading-platform:k8s:GhcrPullSecret");
    const secret = run.resources.find(r => r.type === "kubernetes:core/v1:Secret");
    assert.ok(component && secret);
    return { run, component, secret };
}

describe("component GhcrPullSecret", () => {
    it("declares one dockerconfigjson Secret named after it, in the namespace, under the component", async () => {
        const { component, secret } = await declare();
        assert.equal(secret.parent, component.urn);
        assert.equal(secret.inputs.type, "kubernetes.io/dockerconfigjson");
        assert.deepEqual(secret.inputs.metadata, { name: "ghcr-pull", namespace: "trading-staging" });
        assert.deepEqual(component.outputs, { secretName: "ghcr-pull" });
    });

    it("keeps the whole .dockerconfigjson a secret, with one auth entry for the registry", async () => {
        const { secret } = await declare();
        assert.deepEqual(secret.secretPaths, ["stringData"]);
        const config = JSON.parse((secret.inputs.stringData as Record<string, string>)[".dockerconfigjson"]);
        assert.deepEqual(config, JSON.parse(dockerConfigJson("ghcr.io", "synaptic-ci", SENTINEL)));
        assert.equal(Buffer.from(config.auths["ghcr.io"].auth, "base64").toString(), `synaptic-ci:${SENTINEL}`);
    });

    it("never puts the token, plain or base64, in any input outside a secret path", async () => {
        const { run } = await declare();
        const encoded = Buffer.from(`synaptic-ci:${SENTINEL}`).toString("base64");
        for (const resource of run.resources) {
            const plain = JSON.stringify({ ...resource.inputs, stringData: undefined });
            assert.ok(!plain.includes(SENTINEL) && !plain.includes(encoded), `${resource.urn} carries the token in a plain input`);
            if (resource.inputs.stringData !== undefined) assert.deepEqual(resource.secretPaths, ["stringData"]);
        }
    });
});
