import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { diffPlans } from "../../../tools/plan/diff";
import { PlanDocument, PlanResource } from "../../../tools/plan/document";
import { filler } from "../../../policy/lib/credentialFamilies";
import { runTool, tempDir } from "../../support/cli";
import { repoRoot } from "../../support/stackConfig";
import { albActionAnnotationKey } from "../../../platform/rollout";

const resource = (name: string, inputs: Record<string, unknown>, secretPaths: string[] = []): PlanResource => ({
    urn: `urn:pulumi:production::trading-platform::test:index:Thing::${name}`,
    type: "test:index:Thing",
    name,
    custom: true,
    inputs,
    secretPaths,
    redactedPaths: [],
    unknownPaths: [],
    dependencies: [],
});
const plan = (resources: PlanResource[]) => ({ stack: "production", resources }) as unknown as PlanDocument;

describe("plan diff", () => {
    it("lists resources added, removed and changed, with each changed property", () => {
        const base = plan([
            resource("kept", { a: 1 }),
            resource("gone", { a: 1 }),
            resource("edited", { spec: { replicas: 3, labels: { app: "api" } }, tags: ["x"] }),
        ]);
        const head = plan([
            resource("kept", { a: 1 }),
            resource("new", { a: 2 }),
            resource("edited", { spec: { replicas: 5, labels: { app: "api" } }, tags: ["x", "y"] }),
        ]);
        const diff = diffPlans(base, head);
        assert.deepEqual(
            diff.added.map(r => r.urn.split("::").pop()),
            ["new"],
        );
        assert.deepEqual(
            diff.removed.map(r => r.urn.split("::").pop()),
            ["gone"],
        );
        assert.equal(diff.unchanged, 1);
        assert.deepEqual(diff.changed[0].properties, [
            { path: "spec.replicas", before: 3, after: 5 },
            { path: "tags[1]", before: undefined, after: "y" },
        ]);
    });

    it("opens JSON held in strings, so a weight change is one number", () => {
        const action = (blue: number, green: number) =>
            JSON.stringify({
                type: "forward",
                forwardConfig: {
                    targetGroups: [
                        { serviceName: "api-blue", weight: blue },
                        { serviceName: "api-green", weight: green },
                    ],
                },
            });
        const key = albActionAnnotationKey("api");
        const diff = diffPlans(
            plan([resource("api", { metadata: { annotations: { [key]: action(95, 5) } } })]),
            plan([resource("api", { metadata: { annotations: { [key]: action(75, 25) } } })]),
        );
        assert.deepEqual(
            diff.changed[0].properties.map(p => [p.path, p.before, p.after]),
            [
                [`metadata.annotations["${key}"]#forwardConfig.targetGroups[0].weight`, 95, 75],
                [`metadata.annotations["${key}"]#forwardConfig.targetGroups[1].weight`, 5, 25],
            ],
        );
    });

    it("compares redacted plans, so a secret never shows but becoming a secret does", () => {
        const diff = diffPlans(
            plan([resource("s", { value: "[secret]", name: "A" }, ["value"])]),
            plan([resource("s", { value: "[secret]", name: "B" }, ["value"])]),
        );
        assert.deepEqual(diff.changed[0].properties, [{ path: "name", before: "A", after: "B" }]);
    });

    it("plan --diff reports what a proposed promotion step changes, and refuses a base plan of another stack", async () => {
        const dir = tempDir();
        const base = path.join(dir, "base.json");
        const stagingBase = path.join(dir, "staging.json");
        // In process, one after the other: the Pulumi runtime is process-global.
        const first = await runTool("plan", ["--stack", "production", "--json", base]);
        const staging = await runTool("plan", ["--stack", "staging", "--json", stagingBase]);
        assert.equal(first.code, 0, first.stderr);
        assert.equal(staging.code, 0, staging.stderr);
        const doc = parseYaml(fs.readFileSync(path.join(repoRoot, "Pulumi.production.yaml"), "utf8"));
        doc.config["trading-platform:deployments"].services.api.blueGreen.weight = 25;
        const proposed = path.join(dir, "Pulumi.production.yaml");
        fs.writeFileSync(proposed, toYaml(doc));
        const json = path.join(dir, "head.json");
        const markdown = path.join(dir, "head.md");
        const result = await runTool("plan", [
            "--stack",
            "production",
            "--stack-file",
            proposed,
            "--diff",
            base,
            "--json",
            json,
            "--markdown",
            markdown,
        ]);
        const wrongStack = await runTool("plan", ["--stack", "production", "--diff", stagingBase]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /Changes against the base plan: 0 to add, 3 to change, 0 to remove, \d+ unchanged/);
        assert.match(result.stdout, /~ .*Deployment::api-green\n\s+metadata\.annotations\["trading-platform\/traffic-weight"\]: 5 => 25/);
        const written = JSON.parse(fs.readFileSync(json, "utf8")) as PlanDocument;
        assert.deepEqual(
            written.diff?.changed.map(c => c.urn.split("::").pop()),
            ["api-blue", "api-green", "api"],
        );
        assert.match(fs.readFileSync(markdown, "utf8"), /#### Changes in this pull request\n\n0 to add, 3 to change, 0 to remove/);
        assert.equal(wrongStack.code, 2);
        assert.match(wrongStack.stderr, /--diff compares plans of one stack: .* is a plan of "staging", not "production"/);
    });

    it("refuses a diff base nested past the input bound with one line, before planning; JSON nested in a string is compared whole", async () => {
        const dir = tempDir();
        const deep = path.join(dir, "deep.json");
        const nested = '{"a":'.repeat(5000) + "1" + "}".repeat(5000);
        fs.writeFileSync(
            deep,
            `{"schemaVersion":2,"kind":"trading-platform/plan","project":"trading-platform","stack":"production","resources":[{"inputs":${nested}}]}`,
        );
        const result = await runTool("plan", ["--stack", "production", "--diff", deep]);
        assert.equal(result.code, 2);
        assert.equal(
            result.stderr,
            `${deep} is not a plan JSON file: it is nested deeper than 100 levels\nRun \`npm run plan -- --help\` for usage.\n`,
        );
        // A string holding JSON nested past the bound is one leaf, not a stack overflow.
        const text = "[".repeat(5000) + "]".repeat(5000);
        const diff = diffPlans(plan([resource("a", { note: text })]), plan([resource("a", { note: text.slice(1, -1) })]));
        assert.deepEqual(
            diff.changed[0].properties.map(p => p.path),
            ["note"],
        );
    });
});

describe("plan diff: a value either plan hides never shows", () => {
    const sentinel = "Sentinel-Pw-7Q2x9K";

    it("hides a base plan's plain value at a path the new plan marks secret or redacted, down to its leaves", () => {
        const base = plan([
            resource("db", {
                env: [{ name: "DB_PASSWORD", value: sentinel }],
                config: { url: `postgres://u:${sentinel}@db` },
                data: { "app.env": `PASS=${sentinel}` },
            }),
        ]);
        const head = plan([
            {
                ...resource(
                    "db",
                    { env: [{ name: "DB_PASSWORD", value: "[secret]" }], config: "[secret]", data: { "app.env": "[redacted credential]" } },
                    ["env[0].value", "config"],
                ),
                redactedPaths: ['data["app.env"]'],
            },
        ]);
        const diff = diffPlans(base, head);
        assert.ok(!JSON.stringify(diff).includes(sentinel), JSON.stringify(diff));
        assert.deepEqual(
            diff.changed[0].properties.map(p => [p.path, p.before, p.after]),
            [
                ["config", undefined, "[secret]"],
                ["config.url", "[secret]", undefined],
                ['data["app.env"]', "[secret]", "[secret]"],
                ["env[0].value", "[secret]", "[secret]"],
            ],
        );
    });

    it("hides the new plan's value at a path the base plan marked secret", () => {
        const diff = diffPlans(plan([resource("db", { token: "[secret]" }, ["token"])]), plan([resource("db", { token: sentinel })]));
        assert.deepEqual(diff.changed[0].properties, [{ path: "token", before: "[secret]", after: "[secret]" }]);
    });

    it("keeps the sentinel out of plan --diff's stdout, JSON and markdown when a value becomes secret", async () => {
        const dir = tempDir();
        const stackFile = path.join(dir, "Pulumi.production.yaml");
        const committed = parseYaml(fs.readFileSync(path.join(repoRoot, "Pulumi.production.yaml"), "utf8"));
        // The base plan: a proposed change put a credential in a plain setting (the plan flags and redacts it)...
        const leaked = structuredClone(committed);
        const token = `hvs.${sentinel}${filler("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 80, "diff")}`;
        leaked.config["trading-platform:deployments"].services.worker.env.QUEUE_SETTING = token;
        const baseFile = path.join(dir, "base.json");
        fs.writeFileSync(stackFile, toYaml(leaked));
        const first = await runTool("plan", ["--stack", "production", "--stack-file", stackFile, "--json", baseFile]);
        assert.equal(first.code, 1, first.stderr);
        // ...and, written by an older tool, held it in plain text: the diff must not publish it either way.
        const base = JSON.parse(fs.readFileSync(baseFile, "utf8")) as PlanDocument;
        for (const r of base.resources) {
            const text = JSON.stringify(r.inputs).replace(/\[redacted credential\]/g, token);
            r.inputs = JSON.parse(text);
            r.redactedPaths = [];
        }
        fs.writeFileSync(baseFile, JSON.stringify(base));
        const json = path.join(dir, "head.json");
        const markdown = path.join(dir, "head.md");
        const head = await runTool("plan", [
            "--stack",
            "production",
            "--stack-file",
            stackFile,
            "--diff",
            baseFile,
            "--json",
            json,
            "--markdown",
            markdown,
        ]);
        for (const text of [head.stdout, head.stderr, fs.readFileSync(json, "utf8"), fs.readFileSync(markdown, "utf8")]) {
            assert.ok(!text.includes(sentinel), "an output carries the sentinel");
        }
        assert.match(head.stdout, /Changes against the base plan/);
    });
});
