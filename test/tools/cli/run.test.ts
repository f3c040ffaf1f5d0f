import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { checkDistinctTargets } from "../../../tools/cli/run";
import { runTool, tempDir, Tool, tools } from "../../support/cli";
import { repoRoot } from "../../support/stackConfig";

/** Runs a command with its stdout already closed at the other end, as `cmd | head -0` would. */
function withClosedStdout(tool: Tool, args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise(resolve => {
        const child = spawn(
            process.execPath,
            ["-r", path.join(repoRoot, "tools", "transpile.js"), path.join(repoRoot, "tools", `${tool}.ts`), ...args],
            {
                cwd: repoRoot,
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        child.stdout.destroy();
        let stderr = "";
        child.stderr.on("data", chunk => (stderr += chunk));
        child.on("close", code => resolve({ code, stderr }));
    });
}

/** The files a command might write, with their modification times. */
function writableState(): Map<string, number> {
    const files = [
        path.join(repoRoot, "docs", "policies.md"),
        path.join(repoRoot, "docs", "config.md"),
        ...fs.readdirSync(path.join(repoRoot, "policy", "platform")).map(f => path.join(repoRoot, "policy", "platform", f)),
    ];
    return new Map(files.map(f => [f, fs.statSync(f).mtimeMs]));
}

describe("every command", () => {
    it("answers --help with its usage, exit 0, and writes nothing (docs and sync-platform included)", async () => {
        const before = writableState();
        for (const tool of tools) {
            const result = await runTool(tool, ["--help"]);
            assert.equal(result.code, 0, `${tool}: ${result.stderr}`);
            assert.match(result.stdout, /^Usage: npm run [a-z-]+/, tool);
            assert.equal(result.stderr, "", tool);
        }
        assert.deepEqual(writableState(), before, "a --help run changed a file");
    });

    it("refuses an unknown option with one line and a pointer to --help, before writing anything", async () => {
        const before = writableState();
        for (const tool of ["docs", "syncPlatform", "bench"] as const) {
            const result = await runTool(tool, ["--nope"]);
            assert.equal(result.code, 2, tool);
            assert.match(result.stderr, /^Unknown option '--nope'.*\nRun `npm run [a-z-]+ -- --help` for usage\.\n$/, tool);
        }
        assert.deepEqual(writableState(), before);
    });

    it("runs from its tools/<command>.ts entry through runEntry, which guards the output streams", () => {
        for (const tool of tools) {
            const entry = fs.readFileSync(path.join(repoRoot, "tools", `${tool}.ts`), "utf8");
            assert.match(
                entry,
                new RegExp(
                    `import \\{ main \\} from "\\./cli/commands/${tool}";\\nimport \\{ runEntry \\} from "\\./cli/run";\\n\\nrunEntry\\(main\\);\\n$`,
                ),
                tool,
            );
        }
    });

    // A long report (a check with violations) and the cheap entries' usage, in real processes; the
    // others run through the same runEntry (above) and cost a second or two of CPU each to start.
    it("ends quietly when its output's reader is gone (EPIPE): no trace, its own exit code", async () => {
        const runs: [Tool, string[], number][] = [
            ["policy", ["check", "test/tools/fixtures/manifests/insecure.yaml", "--stack", "staging"], 1],
            ["docs", ["--help"], 0],
            ["syncPlatform", ["--help"], 0],
            ["bench", ["--help"], 0],
        ];
        const results = await Promise.all(runs.map(([tool, args]) => withClosedStdout(tool, args)));
        results.forEach((result, i) => {
            const [tool, , code] = runs[i];
            assert.equal(result.stderr, "", `${tool} printed on stderr: ${result.stderr}`);
            assert.equal(result.code, code, tool);
        });
    });
});

describe("report targets", () => {
    const dir = tempDir();

    it("refuses two reports naming one file, and a report naming an input", () => {
        const file = path.join(dir, "plan.out");
        assert.throws(() => checkDistinctTargets({ "--json": file, "--markdown": path.join(dir, ".", "plan.out") }), {
            name: "UsageError",
            message: `--json and --markdown both name ${file}; give each report its own file`,
        });
        assert.throws(() => checkDistinctTargets({ "--json": undefined, "--sarif": "base.json" }, { "the --diff base": "./base.json" }), {
            name: "UsageError",
            message: "--sarif base.json would overwrite the --diff base; write the report elsewhere",
        });
        assert.doesNotThrow(() => checkDistinctTargets({ "--json": "a.json", "--markdown": "a.md" }, { "the --diff base": "b.json" }));
    });
});
