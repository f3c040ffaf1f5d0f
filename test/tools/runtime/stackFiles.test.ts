import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { MAX_STACK_FILE_BYTES, readStackConfig } from "../../../tools/runtime/stackFiles";
import { tempDir } from "../../support/cli";
import { project, repoRoot } from "../../support/stackConfig";

describe("stack files", () => {
    it("refuses a stack file over the size bound before parsing it, naming the file and the limit", () => {
        const file = path.join(tempDir(), "Pulumi.staging.yaml");
        const committed = fs.readFileSync(path.join(repoRoot, "Pulumi.staging.yaml"), "utf8");
        fs.writeFileSync(file, committed + `# ${"x".repeat(MAX_STACK_FILE_BYTES)}\n`);
        assert.throws(() => readStackConfig(project, "staging", file), {
            name: "UsageError",
            message: new RegExp(`^Stack file .*Pulumi\\.staging\\.yaml is \\d+ KiB; a stack file may be at most 256 KiB`),
        });
        fs.writeFileSync(file, committed);
        assert.ok(readStackConfig(project, "staging", file).values["trading-platform:trading"]);
    });
});
