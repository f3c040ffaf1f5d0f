import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { rehearsalStackDriver, writePositions } from "../../../tools/promote/rehearsalDriver";
import { tempDir } from "../../support/cli";
import { committedConfig, project, repoRoot } from "../../support/stackConfig";

const committed = path.join(repoRoot, "Pulumi.production.yaml");
const copy = () => {
    const file = path.join(tempDir(), "Pulumi.production.yaml");
    fs.copyFileSync(committed, file);
    return file;
};
const blueGreenOf = (file: string, service: string) =>
    (parseYaml(fs.readFileSync(file, "utf8")) as { config: Record<string, { services: Record<string, { blueGreen: Record<string, unknown> }> }> }).config["trading-platform:deployments"].services[service].blueGreen;

describe("rehearsal stack driver", () => {
    it("reads where each blue-green service stands, and the namespace, from the stack file", async () => {
        const state = await rehearsalStackDriver({ stack: "production", project: project.name, config: committedConfig("production") }).read([]);
        assert.equal(state.namespace, "trading-prod");
        assert.deepEqual(state.services, [
            { service: "api", activeColour: "blue", weight: 5, finalize: false, protocol: "http" },
            { service: "websocket", activeColour: "blue", weight: 0, finalize: false, protocol: "http" },
            { service: "fix-gateway", activeColour: "green", weight: 0, finalize: false, protocol: "fix" },
        ]);
        assert.deepEqual((await rehearsalStackDriver({ stack: "production", project: project.name, config: committedConfig("production") }).read(["websocket"])).services.map(s => s.service), ["websocket"]);
    });

    it("refuses a position the program refuses, with the config error, and keeps its state", async () => {
        const driver = rehearsalStackDriver({ stack: "production", project: project.name, config: committedConfig("production") });
        // A FIX gateway cuts over whole: 25 % is a config error, so no plan, and no change.
        const result = await driver.apply([{ service: "fix-gateway", weight: 25, finalize: false }], "advance", "promote fix-gateway to 25 %");
        assert.equal(result.ok, false);
        assert.match(result.summary, /offline plan failed: Invalid configuration for stack "production"/);
        assert.equal((await driver.read(["fix-gateway"])).services[0].weight, 0);
    });

    it("writes weights and finalize into the stack file keeping its comments, adding finalize only when it is set or was there", () => {
        const file = copy();
        writePositions(file, "trading-platform", [
            { service: "api", weight: 100, finalize: true },
            { service: "websocket", weight: 25, finalize: false },
        ]);
        assert.deepEqual(blueGreenOf(file, "api"), { ...blueGreenOf(committed, "api"), weight: 100, finalize: true });
        assert.deepEqual(blueGreenOf(file, "websocket"), { ...blueGreenOf(committed, "websocket"), weight: 25 });
        const before = fs.readFileSync(committed, "utf8").split("\n").filter(l => l.trim().startsWith("#"));
        const after = fs.readFileSync(file, "utf8").split("\n").filter(l => l.trim().startsWith("#"));
        assert.deepEqual(after, before);
    });
});
