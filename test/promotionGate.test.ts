import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { stagingGateProblem, StackUpdate } from "../tools/lib/promotionGate";
import { runTool, tempDir } from "./support/cli";

const sha = "9f1c2d3e4b5a69788796a5b4c3d2e1f0a9b8c7d6";
const update = (head: string, result = "succeeded", version = 42, kind = "update"): StackUpdate => ({ kind, result, version, environment: { "git.head": head, "git.headName": "refs/heads/main" } });

describe("promotion gate", () => {
    it("opens when staging's last successful update ran the commit", () => {
        assert.equal(stagingGateProblem([update(sha)], sha), undefined);
        // A later failed update or a preview does not count.
        assert.equal(stagingGateProblem([update("0".repeat(40), "failed", 44), update("0".repeat(40), "succeeded", 43, "preview"), update(sha)], sha), undefined);
    });

    it("stays shut when staging runs another commit, or nothing", () => {
        assert.equal(stagingGateProblem([update("a".repeat(40))], sha), `staging's last successful update (version 42) ran ${"a".repeat(40)}, not ${sha}`);
        assert.equal(stagingGateProblem([], sha), "staging has no successful update in its history");
        assert.equal(stagingGateProblem([{ kind: "update", result: "succeeded", version: 7 }], sha), "staging's last update (version 7) recorded no git commit");
    });

    it("exits 0, 1 or 2 from the command line", async () => {
        const file = path.join(tempDir(), "history.json");
        fs.writeFileSync(file, JSON.stringify([update(sha)]));
        const [open, shut, usage] = await Promise.all([
            runTool("promotionGate", ["--history", file, "--sha", sha]),
            runTool("promotionGate", ["--history", file, "--sha", "b".repeat(40)]),
            runTool("promotionGate", ["--sha", sha]),
        ]);
        assert.equal(open.code, 0, open.stderr);
        assert.equal(shut.code, 1);
        assert.match(shut.stderr, /^Promotion refused: staging's last successful update \(version 42\) ran 9f1c2d3.*Fix: /);
        assert.equal(usage.code, 2);
    });
});
