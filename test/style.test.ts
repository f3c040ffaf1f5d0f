import { strict as assert } from "assert";
import { execFile } from "child_process";
import { ESLint } from "eslint";
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { repoRoot } from "./support/stackConfig";

// The style checks (npm run check:style) run as a test, beside the others (on one core while tests use
// the other; .mocharc.js starts them early), so a finding counts among the failures CI reads. They must
// be able to fail, cover the root project, the policy workspace and the JavaScript files, and leave the
// generated copy alone.

const scripts = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).scripts as Record<string, string>;
const sample = (file: string) => path.join(repoRoot, file);

describe("style: formatter and linter", () => {
    it("every TypeScript and JavaScript file is formatted by prettier and passes the linter (npm run format fixes most)", async function () {
        // Their own time, however loaded the machine: the check ends with its exit, never on a timer.
        this.timeout(0);
        const result = await new Promise<{ code: number; output: string }>(resolve => {
            execFile("npm", ["run", "--silent", "check:style"], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
                resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}`.trim() }),
            );
        });
        assert.equal(result.code, 0, `npm run check:style failed:\n${result.output}`);
    });

    it("npm test is mocha, which runs the style checks as a test, and a finding fails them", () => {
        assert.equal(scripts.test, "mocha");
        // Both at once (one core each on a cold cache); either's failure is the script's.
        assert.equal(
            scripts["check:style"],
            "npm run --silent format:check & format=$!; npm run --silent lint; lint=$?; wait $format && exit $lint",
        );
        assert.match(scripts["format:check"], /^prettier .*--check "\*\*\/\*\.\{ts,js,mjs,cjs\}"$/);
        assert.match(scripts.lint, /^eslint .*--max-warnings 0 \.$/);
        // npm run format: prettier, the linter's fixes, prettier again on what they changed, the pack's copy.
        assert.match(
            scripts.format,
            /^prettier .*--write .* && npm run --silent lint -- --fix; prettier .*--write .* && npm run --silent sync-platform$/,
        );
    });

    it("the linter refuses an unused binding, an any, a require(), a braceless body over lines and a disable comment that silences nothing", async () => {
        const code = [
            'import * as fs from "fs";',
            "const unused = 1;",
            "export function f(x: any): string {",
            '    const os = require("os");',
            "    if (x)",
            "        return String(",
            "            os.EOL,",
            "        );",
            "    // eslint-disable-next-line no-console",
            '    return "";',
            "}",
            "",
        ].join("\n");
        const eslint = new ESLint({ cwd: repoRoot });
        for (const file of ["tools/example.ts", "policy/lib/example.ts"]) {
            const [result] = await eslint.lintText(code, { filePath: sample(file) });
            const found = result.messages.map(m => m.ruleId ?? "unused disable directive").sort();
            assert.deepEqual(
                found,
                [
                    "@typescript-eslint/no-explicit-any",
                    "@typescript-eslint/no-require-imports",
                    "@typescript-eslint/no-unused-vars",
                    "@typescript-eslint/no-unused-vars",
                    "curly",
                    "unused disable directive",
                ],
                file,
            );
            assert.ok(
                result.messages.every(m => m.severity === 2),
                `${file}: every finding is an error`,
            );
        }
        const [js] = await eslint.lintText('const crypto = require("crypto");\nmodule.exports = { hash: crypto.createHash, missing };\n', {
            filePath: sample("tools/example.js"),
        });
        assert.deepEqual(
            js.messages.map(m => m.ruleId),
            ["no-undef"],
            "CommonJS files know Node's globals and nothing else",
        );
        assert.equal(
            await eslint.isPathIgnored(sample("policy/platform/index.ts")),
            true,
            "the pack's copy of platform/ is linted as platform/",
        );
        assert.equal(await eslint.isPathIgnored(sample("policy/pack.ts")), false);
        const wholeProvider = 'import * as aws from "@pulumi/aws";\nexport const bucket = aws.s3.Bucket;\n';
        const [pack] = await eslint.lintText(wholeProvider, { filePath: sample("policy/data/example.ts") });
        assert.deepEqual(
            pack.messages.map(m => m.ruleId),
            ["no-restricted-imports"],
            "the pack imports AWS's modules, not the whole provider",
        );
        const [program] = await eslint.lintText(wholeProvider, { filePath: sample("components/example.ts") });
        assert.deepEqual(program.messages, [], "the program may import the whole provider");
    });

    it("prettier refuses a file not in the repository's format and writes it as the code is written", async () => {
        const file = sample("tools/example.ts");
        const options = { ...(await prettier.resolveConfig(file)), filepath: file };
        const messy = "export const f = (x:number)=>{ return {a:'b', c:[x,x]} }\n";
        assert.equal(await prettier.check(messy, options), false);
        const formatted = await prettier.format(messy, options);
        assert.equal(formatted, 'export const f = (x: number) => {\n    return { a: "b", c: [x, x] };\n};\n');
        assert.equal(await prettier.check(formatted, options), true);
        const long = `export const list = [${Array.from({ length: 30 }, (_, i) => `"item${i}"`).join(", ")}];\n`;
        assert.ok(
            (await prettier.format(long, options)).split("\n").every(line => line.length <= 140),
            "lines break at 140 columns",
        );
        const ignored = await prettier.getFileInfo(sample("policy/platform/index.ts"), { ignorePath: sample(".prettierignore") });
        assert.equal(ignored.ignored, true, "the pack's copy of platform/ is formatted as platform/ and copied");
    });
});
