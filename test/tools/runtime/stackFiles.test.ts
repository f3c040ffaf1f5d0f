import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { MAX_STACK_FILE_BYTES, readStackConfig } from "../../../tools/runtime/stackFiles";
import { tempDir } from "../../support/cli";
import { project, repoRoot } from "../../support/stackConfig";

describe("stack files", () => {
    const dir = tempDir();
    const write = (name: string, content: string | Buffer) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, content);
        return file;
    };
    /** The one line a bad stack file gets: a UsageError naming the file. */
    const refused = (file: string, message: RegExp) =>
        assert.throws(
            () => readStackConfig(project, "staging", file),
            (e: Error) => {
                assert.equal(e.name, "UsageError");
                assert.match(e.message, message);
                assert.ok(e.message.includes(file), `the message names no file: ${e.message}`);
                assert.equal(e.message.split("\n").length, 1, `more than one line: ${e.message}`);
                return true;
            },
        );

    it("refuses a stack file over the size bound before parsing it, naming the file and the limit", () => {
        const committed = fs.readFileSync(path.join(repoRoot, "Pulumi.staging.yaml"), "utf8");
        const file = write("Pulumi.staging.yaml", committed + `# ${"x".repeat(MAX_STACK_FILE_BYTES)}\n`);
        refused(file, /^Stack file .*Pulumi\.staging\.yaml is \d+ KiB; expected at most 256 KiB$/);
        fs.writeFileSync(file, committed);
        assert.ok(readStackConfig(project, "staging", file).values["trading-platform:trading"]);
    });

    it("refuses an empty, a binary and a config-less stack file in one line each, not one line per missing section", () => {
        refused(write("empty.yaml", ""), /is empty; expected a Pulumi stack file with a config: map/);
        refused(write("blank.yaml", "\n# nothing here\n\n"), /is empty; expected a Pulumi stack file with a config: map/);
        refused(
            write("binary.yaml", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00])),
            /is binary data \(it holds NUL bytes\); expected text$/,
        );
        refused(
            write("no-config.yaml", "encryptionsalt: v1:abc\n"),
            /has no config: map; expected the stack's config under config: .*; found only encryptionsalt$/,
        );
        refused(write("list.yaml", "- a\n- b\n"), /is not a Pulumi stack file: expected a map with a config: key; found a list$/);
        refused(write("scalar-config.yaml", "config: 3\n"), /config: must be a map of keys to values; found a number/);
        refused(write("other-project.yaml", "config:\n  aws:region: eu-west-2\n"), /sets no trading-platform key under config:/);
    });

    it("refuses what is not a file (/dev/zero) without reading it", () => {
        refused("/dev/zero", /is a character device; expected a regular file$/);
    });

    it("keeps the parsed document, for reports that point at a config key's line", () => {
        const config = readStackConfig(project, "staging");
        assert.equal(config.source?.file, path.join(repoRoot, "Pulumi.staging.yaml"));
        assert.ok(config.source?.yaml.document);
    });
});
