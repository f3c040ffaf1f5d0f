import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { resourcesFromManifests } from "../../../tools/plan/manifests";
import { tempDir } from "../../support/cli";

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

function write(text: string): string {
    const file = path.join(tempDir(), "manifests.yaml");
    fs.writeFileSync(file, text);
    return file;
}

describe("manifest reading", () => {
    it("reads every document of a stream, skipping empty ones", () => {
        const file = write(`---\n${configMap("a")}---\n# nothing here\n---\n${configMap("b")}`);
        assert.deepEqual(
            resourcesFromManifests([file], "p", "staging").map(r => r.urn),
            ["urn:pulumi:staging::p::kubernetes:core/v1:ConfigMap::a", "urn:pulumi:staging::p::kubernetes:core/v1:ConfigMap::b"],
        );
    });

    it("names the file, the document, the line and the column of malformed YAML", () => {
        const file = write(`${configMap("a")}---\n${configMap("b")}---\napiVersion: v1\n kind: [x\n`);
        assert.throws(() => resourcesFromManifests([file], "p", "staging"), {
            name: "UsageError",
            message: `${file}: document 3 is not valid YAML: bad indentation of a mapping entry at line 12, column 6`,
        });
    });

    it("refuses a duplicated key, as the engine's YAML reader does", () => {
        const file = write(`---\n${configMap("a")}  name: b\n`);
        assert.throws(
            () => resourcesFromManifests([file], "p", "staging"),
            /document 1 is not valid YAML: duplicated mapping key at line 6, column 3/,
        );
    });

    it("reads YAML 1.2's core schema with merge keys, as Kubernetes does: a date stays a string", () => {
        const file = write(`${configMap("a")}data:
  since: 2026-11-23
  opens: "09:30"
  base: &base { LOG_LEVEL: info }
  merged:
    <<: *base
    WORKERS: "4"
`);
        const [resource] = resourcesFromManifests([file], "p", "staging");
        const data = resource.inputs.data as Record<string, unknown>;
        assert.equal(data.since, "2026-11-23");
        assert.equal(data.opens, "09:30");
        assert.deepEqual(data.merged, { LOG_LEVEL: "info", WORKERS: "4" });
    });
});
