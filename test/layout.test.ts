import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "./support/stackConfig";

// The repository's layout rules: a name leads to its file, and nothing depends in a circle.

const componentsDir = path.join(repoRoot, "components");
const componentFolders = fs
    .readdirSync(componentsDir, { withFileTypes: true })
    .filter(d => d.isDirectory() && d.name !== "lib")
    .map(d => d.name);

describe("layout: components", () => {
    it("each components/<camelName>/index.ts exports class <CamelName> with the type token trading-platform:<area>:<CamelName>", () => {
        assert.ok(componentFolders.length >= 7, `found only ${componentFolders.join(", ")}`);
        for (const folder of componentFolders) {
            const file = path.join(componentsDir, folder, "index.ts");
            assert.ok(fs.existsSync(file), `components/${folder}/ has no index.ts`);
            const source = fs.readFileSync(file, "utf8");
            const className = folder[0].toUpperCase() + folder.slice(1);
            assert.match(source, new RegExp(`export class ${className} extends pulumi\\.ComponentResource`), `components/${folder}/index.ts should export class ${className}`);
            const tokens = [...source.matchAll(/super\(\s*"([^"]+)"/g)].map(m => m[1]);
            assert.equal(tokens.length, 1, `components/${folder}/index.ts should declare one type token`);
            assert.match(tokens[0], new RegExp(`^trading-platform:[a-z0-9]+:${className}$`), `components/${folder}: token ${tokens[0]}`);
        }
    });

    it("config code imports a component only through its index.ts", () => {
        const configDir = path.join(repoRoot, "stacks", "config");
        for (const file of fs.readdirSync(configDir).filter(f => f.endsWith(".ts"))) {
            const source = fs.readFileSync(path.join(configDir, file), "utf8");
            for (const [, spec] of source.matchAll(/from "(\.\.\/\.\.\/components\/[^"]+)"/g)) {
                assert.match(spec, /^\.\.\/\.\.\/components\/[A-Za-z]+$/, `stacks/config/${file} imports ${spec}, a component's internals`);
            }
        }
    });
});
