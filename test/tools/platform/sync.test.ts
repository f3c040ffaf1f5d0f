import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { platformCopyDifferences, syncPlatform } from "../../../tools/platform/sync";
import { tempDir } from "../../support/cli";

describe("policy/platform, the pack's copy of platform/", () => {
    it("is byte-identical to platform/ (run npm run sync-platform after editing platform/)", () => {
        assert.deepEqual(platformCopyDifferences(), []);
    });

    it("a differing, missing or extra file is reported, and a sync makes the copy equal again", () => {
        const source = tempDir();
        const copy = tempDir();
        fs.writeFileSync(path.join(source, "a.ts"), "export const a = 1;\n");
        fs.writeFileSync(path.join(source, "b.ts"), "export const b = 2;\n");
        fs.writeFileSync(path.join(copy, "a.ts"), "export const a = 2;\n");
        fs.writeFileSync(path.join(copy, "old.ts"), "export {};\n");
        assert.deepEqual(platformCopyDifferences(source, copy), [
            "a.ts: differs",
            "b.ts: missing from the copy",
            "old.ts: not in the source",
        ]);
        syncPlatform(source, copy);
        assert.deepEqual(platformCopyDifferences(source, copy), []);
        assert.deepEqual(fs.readdirSync(copy).sort(), ["a.ts", "b.ts"]);
    });
});
