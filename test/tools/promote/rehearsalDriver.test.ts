import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { positionPlanner } from "../../../tools/promote/positionPlans";
import { rehearsalStackDriver } from "../../../tools/promote/rehearsalDriver";
import { writePositions } from "../../../tools/promote/stackState";
import { promotionPolicyConfigs } from "../../../tools/promote/window";
import { tempDir } from "../../support/cli";
import { committedConfig, project, repoRoot } from "../../support/stackConfig";

const committed = path.join(repoRoot, "Pulumi.production.yaml");
const copy = () => {
    const file = path.join(tempDir(), "Pulumi.production.yaml");
    fs.copyFileSync(committed, file);
    return file;
};
const blueGreenOf = (file: string, service: string) =>
    (
        parseYaml(fs.readFileSync(file, "utf8")) as {
            config: Record<string, { services: Record<string, { blueGreen: Record<string, unknown> }> }>;
        }
    ).config["trading-platform:deployments"].services[service].blueGreen;
const driverOf = () => {
    const config = committedConfig("production");
    const planner = positionPlanner({
        stack: "production",
        project: project.name,
        config,
        policyConfigFile: promotionPolicyConfigs.rollback,
    });
    return rehearsalStackDriver({ stack: "production", project: project.name, config, planner });
};
const short = (urn: string) => urn.split("::").slice(-2).join("::").replace(/^.*\$/, "");

describe("rehearsal stack driver", () => {
    it("reads where each blue-green service stands, and the namespace, from the stack file", async () => {
        const state = await driverOf().read([]);
        assert.equal(state.namespace, "trading-prod");
        assert.deepEqual(state.services, [
            { service: "api", activeColour: "blue", weight: 5, finalize: false, protocol: "http" },
            { service: "websocket", activeColour: "blue", weight: 0, finalize: false, protocol: "http" },
            { service: "fix-gateway", activeColour: "green", weight: 0, finalize: false, protocol: "fix" },
        ]);
        assert.deepEqual(
            (await driverOf().read(["websocket"])).services.map(s => s.service),
            ["websocket"],
        );
    });

    it("plans each update offline with the pack and limits it to the resources whose inputs change: the service's traffic objects only", async () => {
        const driver = driverOf();
        await driver.read([]);
        const advance = await driver.apply([{ service: "api", weight: 25, finalize: false }], "advance", "promote api to 25 %");
        assert.equal(advance.ok, true, advance.summary);
        assert.deepEqual(advance.targets.map(short), [
            "kubernetes:apps/v1:Deployment::api-blue",
            "kubernetes:apps/v1:Deployment::api-green",
            "kubernetes:networking.k8s.io/v1:Ingress::api",
        ]);
        const rollback = await driver.apply([{ service: "api", weight: 0, finalize: false }], "rollback", "roll back api");
        assert.deepEqual(rollback.targets.map(short), [
            "kubernetes:apps/v1:Deployment::api-blue",
            "kubernetes:apps/v1:Deployment::api-green",
            "kubernetes:networking.k8s.io/v1:Ingress::api",
            "kubernetes:policy/v1:PodDisruptionBudget::api-green",
        ]);
        assert.ok(
            rollback.targets.every(t => !/docker|github|helm|aws:/.test(t)),
            "a rollback never waits on the Docker host, GitHub, a chart or AWS",
        );
        assert.equal((await driver.read(["api"])).services[0].weight, 0);
    });

    it("a stage update targets every object of the staged services, naming the smoke test the live update would await", async () => {
        const driver = driverOf();
        const stage = await driver.apply([{ service: "websocket", weight: 0, finalize: false }], "stage", "stage websocket");
        assert.equal(stage.ok, true, stage.summary);
        assert.ok(stage.targets.map(short).includes("kubernetes:batch/v1:Job::websocket-smoke"), stage.targets.join("\n"));
        assert.ok(
            stage.targets.every(t => t.includes("BlueGreenService")),
            "only the service's own objects",
        );
        assert.deepEqual(
            stage.smoke.map(s => [s.service, s.result]),
            [["websocket", "planned"]],
        );
        assert.match(stage.smoke[0].job, /^websocket-green-smoke-[0-9a-f]{10}$/);
    });

    it("refuses a position the program refuses, with the config error, and keeps its state", async () => {
        const driver = driverOf();
        // A FIX gateway cuts over whole: 25 % is a config error, so no plan, and no change.
        const result = await driver.apply(
            [{ service: "fix-gateway", weight: 25, finalize: false }],
            "advance",
            "promote fix-gateway to 25 %",
        );
        assert.equal(result.ok, false);
        assert.match(
            result.summary,
            /offline plan refused \(advance: promote fix-gateway to 25 %\): Invalid configuration for stack "production"/,
        );
        assert.equal((await driver.read(["fix-gateway"])).services[0].weight, 0);
    });

    it("writes weights and finalize into the stack file and changes nothing else, byte for byte", () => {
        const file = copy();
        writePositions(file, "trading-platform", {
            api: { weight: 100, finalize: true },
            websocket: { weight: 25, finalize: false },
        });
        assert.deepEqual(blueGreenOf(file, "api"), { ...blueGreenOf(committed, "api"), weight: 100, finalize: true });
        assert.deepEqual(blueGreenOf(file, "websocket"), { ...blueGreenOf(committed, "websocket"), weight: 25 });
        const before = fs.readFileSync(committed, "utf8").split("\n");
        const after = fs.readFileSync(file, "utf8").split("\n");
        const changed = after.filter(l => !before.includes(l));
        assert.deepEqual(changed, ["          weight: 100", "          finalize: true", "          weight: 25"]);
        assert.equal(after.length, before.length + 1, "one line added: finalize");
        // Written back, the file reads as the committed one again.
        writePositions(file, "trading-platform", { api: { weight: 5, finalize: false }, websocket: { weight: 0, finalize: false } });
        assert.equal(fs.readFileSync(file, "utf8").replace("          finalize: false\n", ""), fs.readFileSync(committed, "utf8"));
    });
});
