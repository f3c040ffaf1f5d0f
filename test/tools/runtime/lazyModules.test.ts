import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { repoRoot } from "../../support/stackConfig";

describe("deferred SDK modules", () => {
    it("leaves the Automation API and npm's tree reader unloaded until used, and then loads the real ones", () => {
        const script = [
            'require("./tools/runtime/lazyModules");',
            'require("./policy/pack");',
            "const loaded = () => Object.keys(require.cache).filter(k => /[\\\\/](automation|@npmcli[\\\\/]arborist)[\\\\/]/.test(k) && !k.endsWith('automation/index.js') && !k.endsWith('arborist/lib/index.js')).length;",
            "const before = loaded();",
            'const pulumi = require("@pulumi/pulumi");',
            "const works = typeof pulumi.automation.LocalWorkspace.create === 'function';",
            "console.log(JSON.stringify({ before, works, after: loaded() }));",
        ].join("\n");
        const out = execFileSync(process.execPath, ["-r", path.join(repoRoot, "tools", "transpile.js"), "-e", script], {
            cwd: repoRoot,
            encoding: "utf8",
        });
        const { before, works, after } = JSON.parse(out) as { before: number; works: boolean; after: number };
        assert.equal(before, 0, "loaded before use");
        assert.equal(works, true);
        assert.ok(after > 0, "the real module was not loaded on use");
    });
});
