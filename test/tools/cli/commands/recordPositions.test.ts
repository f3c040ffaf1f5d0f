import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { runTool, tempDir } from "../../../support/cli";
import { repoRoot } from "../../../support/stackConfig";

describe("npm run record-positions", () => {
    it("writes the deployed positions into the stack file and the pull request's body into --summary", async () => {
        const dir = tempDir();
        const file = path.join(dir, "Pulumi.production.yaml");
        fs.copyFileSync(path.join(repoRoot, "Pulumi.production.yaml"), file);
        const positions = path.join(dir, "positions.json");
        fs.writeFileSync(positions, JSON.stringify({ api: { activeColour: "blue", weight: 0, finalize: false, protocol: "http" } }));
        const summary = path.join(dir, "body.md");
        const result = await runTool("recordPositions", [
            "--positions",
            positions,
            "--release",
            path.join(repoRoot, "Pulumi.production.yaml"),
            "--stack-file",
            file,
            "--summary",
            summary,
        ]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(
            fs.readFileSync(file, "utf8"),
            /blueGreen:\n {10}activeColour: blue\n(?: .*\n)*? {10}weight: 0\n {6}# v1\.4\.0 deployed on green/,
        );
        assert.equal(fs.readFileSync(summary, "utf8"), "- api: weight 0 (main said weight 5)\n");
    });

    it("refuses a missing input with exit 2", async () => {
        const result = await runTool("recordPositions", ["--positions", "/nonexistent.json", "--release", "x", "--stack-file", "y"]);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /^y does not exist\n/);
    });
});
