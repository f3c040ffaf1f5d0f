import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { deployedImagesOf, stagingGateProblem, StackUpdate, unprovenImages } from "../../../tools/gate/promotionGate";
import { runTool, spawnTool, tempDir } from "../../support/cli";
import { committedPlan } from "../../support/committedPlans";

const sha = "9f1c2d3e4b5a69788796a5b4c3d2e1f0a9b8c7d6";
const update = (head: string, result = "succeeded", version = 42, kind = "update"): StackUpdate => ({
    kind,
    result,
    version,
    environment: { "git.head": head, "git.headName": "refs/heads/main" },
});

describe("promotion gate", () => {
    it("opens when staging's last successful update ran the commit", () => {
        assert.equal(stagingGateProblem([update(sha)], sha), undefined);
        // A later failed update or a preview does not count.
        assert.equal(
            stagingGateProblem(
                [update("0".repeat(40), "failed", 44), update("0".repeat(40), "succeeded", 43, "preview"), update(sha)],
                sha,
            ),
            undefined,
        );
    });

    it("stays shut when staging runs another commit, or nothing", () => {
        assert.equal(
            stagingGateProblem([update("a".repeat(40))], sha),
            `staging's last successful update (version 42) ran ${"a".repeat(40)}, not ${sha}`,
        );
        assert.equal(stagingGateProblem([], sha), "staging has no successful update in its history");
        assert.equal(
            stagingGateProblem([{ kind: "update", result: "succeeded", version: 7 }], sha),
            "staging's last update (version 7) recorded no git commit",
        );
    });

    it("exits 0, 1 or 2 from the command line", async () => {
        const file = path.join(tempDir(), "history.json");
        fs.writeFileSync(file, JSON.stringify([update(sha)]));
        const [open, shut, usage] = await Promise.all([
            // The real command, so its exit codes are the process's own.
            spawnTool("promotionGate", ["--history", file, "--sha", sha]),
            spawnTool("promotionGate", ["--history", file, "--sha", "b".repeat(40)]),
            spawnTool("promotionGate", ["--sha", sha]),
        ]);
        assert.equal(open.code, 0, open.stderr);
        assert.equal(shut.code, 1);
        assert.match(shut.stderr, /^Promotion refused: staging's last successful update \(version 42\) ran 9f1c2d3.*Fix: /);
        assert.equal(usage.code, 2);
    });

    it("refuses a history with an entry that is not an update (null) with one line, not an internal error", async () => {
        const file = path.join(tempDir(), "history.json");
        fs.writeFileSync(file, JSON.stringify([null, update(sha)]));
        const result = await runTool("promotionGate", ["--history", file, "--sha", sha]);
        assert.equal(result.code, 2);
        assert.equal(
            result.stderr.split("\n")[0],
            `${file}: entry 0 of the stack history is null; expected an update object ({kind, result, version, environment}, as pulumi stack history --json writes)`,
        );
        assert.doesNotMatch(result.stderr, /Internal error|\n\s+at /);
    });

    describe("images", () => {
        const image = (name: string, digit: string) => `ghcr.io/synaptic-platform/synaptictrading/${name}@sha256:${digit.repeat(64)}`;
        const active = image("api", "1");
        const candidate = image("api", "2");

        it("lets production run an image staging runs, or one production already runs", () => {
            assert.deepEqual(unprovenImages([active, candidate], [candidate], [active]), []);
            // The first release: production runs nothing yet.
            assert.deepEqual(unprovenImages([candidate], [candidate], []), []);
        });

        it("names every image neither stack runs", () => {
            const stray = image("worker", "3");
            assert.deepEqual(unprovenImages([active, candidate, stray], [image("api", "4")], [active]), [candidate, stray]);
        });

        it("reads deployedImages from stack outputs, and no outputs as none", () => {
            assert.deepEqual(deployedImagesOf({ deployedImages: [active], clusterName: "x" }, "outputs.json"), [active]);
            assert.deepEqual(deployedImagesOf({}, "outputs.json"), []);
            assert.throws(
                () => deployedImagesOf({ clusterName: "x" }, "outputs.json"),
                /^Error: outputs\.json: expected deployedImages, a list of image references; found no deployedImages$/,
            );
            assert.throws(() => deployedImagesOf([active], "outputs.json"), /outputs\.json: expected stack outputs \(a JSON object\)/);
        });

        it("never echoes what a malformed outputs file holds: a sentinel password appears in no output", async () => {
            const sentinel = "Sentinel-Pw-7Q2x9K";
            const dir = tempDir();
            const history = path.join(dir, "history.json");
            fs.writeFileSync(history, JSON.stringify([update(sha)]));
            const plan = path.join(dir, "plan.json");
            fs.writeFileSync(plan, JSON.stringify((await committedPlan("production")).document));
            const files = {
                truncated: `{"dbPassword": "${sentinel}", "deployedImages": [`,
                bare: `{"dbPassword": ${sentinel}}`,
                wrongShape: JSON.stringify({ deployedImages: { password: sentinel } }),
                wrongItems: JSON.stringify({ deployedImages: [{ password: sentinel }] }),
                notObject: JSON.stringify(`postgres://u:${sentinel}@db`),
            };
            for (const [name, text] of Object.entries(files)) {
                const outputs = path.join(dir, `${name}.json`);
                fs.writeFileSync(outputs, text);
                const result = await runTool("promotionGate", [
                    "--history",
                    history,
                    "--sha",
                    sha,
                    "--plan",
                    plan,
                    "--staging-outputs",
                    outputs,
                ]);
                assert.equal(result.code, 2, `${name}: ${result.stderr}`);
                assert.match(result.stderr, new RegExp(`${name}\\.json`), name);
                assert.ok(!(result.stdout + result.stderr).includes(sentinel), `${name}: the output echoes the file's content`);
            }
        });

        it("gates the committed production plan: its images are the config's digests, refused until staging runs the new ones", async () => {
            const { document } = await committedPlan("production");
            const planned = document.outputs.deployedImages as string[];
            assert.ok(
                planned.length >= 9 && planned.every(i => /^ghcr\.io\/synaptic-platform\/.+@sha256:[0-9a-f]{64}$/.test(i)),
                JSON.stringify(planned),
            );
            const dir = tempDir();
            const files = {
                history: path.join(dir, "history.json"),
                plan: path.join(dir, "production-plan.json"),
                stagingRuns: path.join(dir, "staging-outputs.json"),
                stagingMissesOne: path.join(dir, "staging-outputs-old.json"),
                productionNone: path.join(dir, "production-outputs.json"),
            };
            fs.writeFileSync(files.history, JSON.stringify([update(sha)]));
            fs.writeFileSync(files.plan, JSON.stringify(document));
            fs.writeFileSync(files.stagingRuns, JSON.stringify({ deployedImages: planned, imageDigests: {} }));
            fs.writeFileSync(files.stagingMissesOne, JSON.stringify({ deployedImages: planned.slice(1) }));
            fs.writeFileSync(files.productionNone, "{}");
            const gate = (staging: string, ...more: string[]) =>
                runTool("promotionGate", [
                    "--history",
                    files.history,
                    "--sha",
                    sha,
                    "--plan",
                    files.plan,
                    "--staging-outputs",
                    staging,
                    ...more,
                ]);
            const [open, shut, incomplete, notAPlan] = await Promise.all([
                gate(files.stagingRuns, "--production-outputs", files.productionNone),
                gate(files.stagingMissesOne, "--production-outputs", files.productionNone),
                runTool("promotionGate", ["--history", files.history, "--sha", sha, "--plan", files.plan]),
                runTool("promotionGate", [
                    "--history",
                    files.history,
                    "--sha",
                    sha,
                    "--plan",
                    files.stagingRuns,
                    "--staging-outputs",
                    files.stagingRuns,
                ]),
            ]);
            assert.equal(open.code, 0, open.stderr);
            assert.match(open.stdout, new RegExp(`Every image production would run \\(${planned.length}\\) is one staging runs`));
            assert.equal(shut.code, 1, shut.stdout);
            assert.equal(shut.stderr.split("\n")[1], `  ${planned[0]}`);
            assert.match(
                shut.stderr,
                /^Promotion refused: production would run 1 image\(s\) that staging does not run.*\n.*\nFix: promote only digests from staging's outputs/,
            );
            assert.equal(incomplete.code, 2);
            assert.match(incomplete.stderr, /--plan and --staging-outputs go together/);
            // Stack outputs are not a plan: the gate reads --plan as plan and policy check do.
            assert.equal(notAPlan.code, 2);
            assert.match(
                notAPlan.stderr,
                /staging-outputs\.json is not a plan of schemaVersion 2 \(found kind undefined, schemaVersion undefined\)/,
            );
        });
    });
});
