import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

type Result = { code: number; output: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { typecheck, check, projects } = require("./typecheck") as {
    typecheck: () => Promise<Result>;
    check: (project: string) => Promise<Result>;
    projects: string[];
};

const repoRoot = path.join(__dirname, "..", "..");

// Run as a test so that it runs beside the others (TypeScript on one core while tests use the other)
// and a type error counts among the failures CI reads; first in the order .mocharc.js gives.
describe("TypeScript", function () {
    // The compiler's own time, however loaded the machine: it ends with its exit, never on a timer.
    this.timeout(0);

    it("type-checks both projects: the repository, and the policy pack on its own as it is published", async () => {
        const { code, output } = await typecheck();
        assert.equal(code, 0, `the type check failed:\n${output}`);
    });

    it("checks each project's own tsconfig.json, changing only the module resolution TypeScript 7 no longer has", () => {
        for (const project of projects) {
            const config = JSON.parse(
                fs
                    .readFileSync(path.join(repoRoot, project), "utf8")
                    .split("\n")
                    .filter(line => !line.trim().startsWith("//"))
                    .join("\n"),
            ) as Record<string, unknown>;
            assert.deepEqual(config, { extends: "./tsconfig.json", compilerOptions: { moduleResolution: "bundler" } }, project);
        }
        const version = (dir: string) =>
            (JSON.parse(fs.readFileSync(require.resolve("typescript/package.json", { paths: [dir] }), "utf8")) as { version: string })
                .version;
        assert.match(version(repoRoot), /^5\./, "the root keeps the TypeScript the Pulumi CLI's ts-node compiles with");
        assert.match(version(__dirname), /^7\./, "the check runs TypeScript 7");
    });

    it("fails on a type error, naming the file and line", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trading-platform-typecheck-"));
        try {
            fs.writeFileSync(path.join(dir, "bad.ts"), 'export const port: number = "8080";\n');
            fs.writeFileSync(
                path.join(dir, "tsconfig.json"),
                JSON.stringify({
                    extends: path.join(repoRoot, "tsconfig.check.json"),
                    compilerOptions: { typeRoots: [path.join(repoRoot, "node_modules", "@types")] },
                    files: ["bad.ts"],
                }),
            );
            const { code, output } = await check(path.join(dir, "tsconfig.json"));
            assert.notEqual(code, 0);
            assert.match(output, /bad\.ts\(1,14\): error TS2322: Type 'string' is not assignable to type 'number'/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
