import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "../../support/cli";

// The test process runs under tools/transpile.js, which installs the cache.
import { callsImport } from "../../../tools/runtime/compileCache";

describe("V8 compile cache of the dependencies", () => {
    it("tells a call of import() from the word in text, comments, templates, regular expressions and properties", () => {
        for (const source of [
            'const m = await import("x");',
            "module.exports = () => import('./lazy.js');",
            "f(){import(a)}",
            'x = `${import("y")}`',
            "if (a) { b = import /* why */ (c) }",
            "#!/usr/bin/env node\nimport(x)",
        ]) {
            assert.equal(callsImport(source), true, source);
        }
        for (const source of [
            "const s = \"typeof import('{0}')\";",
            "/** @param {import('./types').Options} options */ function f(options) {}",
            "// import(x)\nexports.a = 1;",
            "parts.push({ text: `import(` });",
            "stack.import(options);",
            "const re = /import\\(/g; const half = a / 2; const q = b / c / d;",
            "const imported = 1; const importer = (x) => x; reimport(1);",
        ]) {
            assert.equal(callsImport(source), false, source);
        }
        // A method named import reads as a call: Node compiles such a module itself, which is only slower.
        assert.equal(callsImport("class S { async import(o) { return o; } }"), true);
    });

    it("loads a dependency that calls import() through Node's loader, so the call still works, and a plain one from the cache the same way", async () => {
        const dir = fs.realpathSync(tempDir());
        const pkg = path.join(dir, "node_modules", "lazy-dependency");
        fs.mkdirSync(pkg, { recursive: true });
        fs.writeFileSync(path.join(pkg, "value.mjs"), "export const value = 42;\n");
        fs.writeFileSync(
            path.join(pkg, "index.js"),
            'exports.load = () => import("./value.mjs").then(m => m.value);\nexports.where = __filename;\n',
        );
        fs.writeFileSync(path.join(pkg, "plain.js"), "exports.twice = x => 2 * x;\nexports.resolves = require.resolve('./index.js');\n");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const lazy = require(pkg) as { load: () => Promise<number>; where: string };
        assert.equal(await lazy.load(), 42);
        assert.equal(lazy.where, path.join(pkg, "index.js"));
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const plain = require(path.join(pkg, "plain.js")) as { twice: (x: number) => number; resolves: string };
        assert.equal(plain.twice(21), 42);
        assert.equal(plain.resolves, path.join(pkg, "index.js"));
    });
});
