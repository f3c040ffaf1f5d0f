import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { runProgram, stackUrn } from "../../../tools/runtime/program";

class Box extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Box", name);
        this.registerOutputs({ label: "plain", token: pulumi.secret("s3cr3t-token") });
    }
}

describe("offline runtime: what the engine registers beside the program", () => {
    it("adds the root stack as parent of top-level resources, and default providers for resources that name none", async () => {
        const run = await runProgram({
            project: "proj",
            stack: "staging",
            program: () => {
                const box = new Box("box");
                new docker.Network("net", { name: "net" }, { parent: box });
                const explicit = new docker.Provider("remote", { host: "ssh://u@h" });
                new docker.Network("other", { name: "other" }, { provider: explicit });
                return { exported: pulumi.secret("x"), plain: "y" };
            },
            config: { "docker:host": "unix:///var/run/docker.sock", "proj:other": "z" },
            secretKeys: [],
        });
        assert.equal(run.error, undefined);
        const byName = new Map(run.resources.map(r => [r.name, r]));
        const root = stackUrn("proj", "staging");
        const stack = byName.get("proj-staging")!;
        assert.equal(stack.urn, root);
        assert.equal(stack.type, "pulumi:pulumi:Stack");
        assert.equal(stack.custom, false);
        assert.equal(stack.parent, undefined);
        assert.deepEqual(stack.outputSecretPaths, ["exported"]);

        assert.equal(byName.get("box")!.parent, root);
        assert.equal(byName.get("remote")!.parent, root);
        assert.equal(byName.get("net")!.parent, byName.get("box")!.urn);

        const version = (require("@pulumi/docker/package.json") as { version: string }).version; // eslint-disable-line @typescript-eslint/no-require-imports
        const defaultName = `default_${version.replace(/\./g, "_")}`;
        const provider = byName.get(defaultName)!;
        assert.equal(provider.urn, `urn:pulumi:staging::proj::pulumi:providers:docker::${defaultName}`);
        assert.deepEqual(provider.inputs, { version, host: "unix:///var/run/docker.sock" });
        assert.equal(byName.get("net")!.provider, provider.urn);
        assert.equal(byName.get("other")!.provider, byName.get("remote")!.urn);
        assert.equal(run.resources.filter(r => r.type === "pulumi:providers:docker").length, 2);
    });

    it("records which of a component's registered outputs are secret", async () => {
        const run = await runProgram({ project: "proj", stack: "staging", program: () => void new Box("box"), config: {}, secretKeys: [] });
        const box = run.resources.find(r => r.name === "box")!;
        assert.deepEqual(box.outputSecretPaths, ["token"]);
        assert.equal(box.outputs.label, "plain");
    });
});
