import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { recordPositions } from "../../../tools/promote/recordPositions";
import { repoRoot } from "../../support/stackConfig";

// The record job's edit of main's stack file: the deployed positions, nothing else, and only where main
// still stages the release the run promoted.
const committed = fs.readFileSync(path.join(repoRoot, "Pulumi.production.yaml"), "utf8");
const deployed = (api: [number, boolean], websocket: [number, boolean]) =>
    JSON.stringify({
        api: { activeColour: "blue", weight: api[0], finalize: api[1], protocol: "http" },
        websocket: { activeColour: "blue", weight: websocket[0], finalize: websocket[1], protocol: "http" },
        "fix-gateway": { activeColour: "green", weight: 0, finalize: false, protocol: "fix" },
    });
const record = (positionsJson: string, mainText = committed) =>
    recordPositions({
        project: "trading-platform",
        positionsJson,
        positionsFile: "positions.json",
        releaseText: committed,
        releaseFile: "release.yaml",
        mainText,
        mainFile: "Pulumi.production.yaml",
    });

describe("recording the deployed positions on main", () => {
    it("changes only the position keys, byte for byte, whatever else main changed since the tag", () => {
        // Main changed something else since the tag: a comment and a log level.
        const main = committed
            .replace("# Every key is described in docs/config.md.", "# Every key is described in docs/config.md (see also the runbook).")
            .replace("env: { LOG_LEVEL: info }", "env: { LOG_LEVEL: debug }");
        const result = record(deployed([100, true], [100, true]), main);
        assert.deepEqual(result.changed, ["api", "websocket"]);
        const before = main.split("\n");
        const after = result.text.split("\n");
        assert.deepEqual(
            after.filter(l => !before.includes(l)),
            ["          weight: 100", "          finalize: true", "          weight: 100", "          finalize: true"],
        );
        assert.ok(result.text.includes("(see also the runbook)") && result.text.includes("LOG_LEVEL: debug"), "main's own changes stay");
        assert.deepEqual(result.notes, [
            "api: weight 100, finalized (main said weight 5)",
            "websocket: weight 100, finalized (main said weight 0)",
            "fix-gateway: weight 0, as main already says",
        ]);
    });

    it("leaves a service alone where main stages another release, and says so", () => {
        const main = committed.replace(/(websocket:\n(?:.*\n)*?\s+blueGreen:\n\s+activeColour:) blue/, "$1 green");
        const result = record(deployed([0, false], [25, false]), main);
        assert.deepEqual(result.changed, ["api"]);
        assert.match(
            result.notes[1],
            /^websocket: main stages another release \(active colour green, images differ from the release this run promoted\); left as it is \(deployed: weight 25\)$/,
        );
    });

    it("refuses output that is not promotionState", () => {
        assert.throws(
            () => record('{"api": {"weight": 5}}'),
            /positions\.json: expected promotionState, each service's \{ activeColour, weight, finalize, protocol \}/,
        );
        assert.throws(() => record("not json"), /positions\.json: expected the JSON of the promotionState output/);
    });
});
