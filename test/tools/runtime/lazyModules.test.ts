import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { repoRoot } from "../../support/stackConfig";

describe("deferred SDK modules", () => {
    it("leaves the Automation API, npm's tree reader and the closure serializer's TypeScript and package.json normalizer unloaded until used, and then loads the real ones", () => {
        const script = [
            'require("./tools/runtime/lazyModules");',
            'require("./policy/pack");',
            // Each deferred module's own files, not the stand-in the cache holds under its entry's name.
            "const deferred = { automation: /[\\\\/]pulumi[\\\\/]automation[\\\\/](?!index\\.js$)/, arborist: /[\\\\/]@npmcli[\\\\/]arborist[\\\\/](?!lib[\\\\/]index\\.js$)/, typescript: /[\\\\/]node_modules[\\\\/]typescript[\\\\/]/, normalize: /[\\\\/]normalize-package-data[\\\\/]lib[\\\\/](?!normalize\\.js$)/ };",
            "const loaded = () => Object.fromEntries(Object.entries(deferred).map(([name, re]) => [name, Object.keys(require.cache).filter(k => re.test(k)).length]));",
            "const before = loaded();",
            'const pulumi = require("@pulumi/pulumi");',
            "const works = typeof pulumi.automation.LocalWorkspace.create === 'function';",
            "pulumi.runtime.serializeFunction(() => 42).then(async closure => {",
            "    const paths = await pulumi.runtime.computeCodePaths();",
            "    console.log(JSON.stringify({ before, works, serialized: /42/.test(closure.text), codePaths: paths.size > 0, after: loaded() }));",
            "});",
        ].join("\n");
        const out = execFileSync(process.execPath, ["-r", path.join(repoRoot, "tools", "transpile.js"), "-e", script], {
            cwd: repoRoot,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        const { before, works, serialized, codePaths, after } = JSON.parse(out) as {
            before: Record<string, number>;
            works: boolean;
            serialized: boolean;
            codePaths: boolean;
            after: Record<string, number>;
        };
        assert.deepEqual(before, { automation: 0, arborist: 0, typescript: 0, normalize: 0 }, "loaded before use");
        assert.equal(works, true);
        assert.equal(serialized, true, "serializeFunction works through the deferred TypeScript");
        assert.equal(codePaths, true, "computeCodePaths works through the deferred normalizer");
        for (const [name, count] of Object.entries(after)) assert.ok(count > 0, `the real ${name} was not loaded on use`);
    });
});
