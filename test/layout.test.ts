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
            assert.match(
                source,
                new RegExp(`export class ${className} extends pulumi\\.ComponentResource`),
                `components/${folder}/index.ts should export class ${className}`,
            );
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

/** Relative imports of every .ts file under `dir` (recursively), resolved to repository paths. */
function importGraph(dir: string): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter(f => f.endsWith(".ts")).map(f => path.join(dir, f));
    for (const file of files) {
        const source = fs.readFileSync(file, "utf8");
        const targets: string[] = [];
        for (const [, spec] of source.matchAll(/(?:from|import\(|require\()\s*"(\.{1,2}\/[^"]*)"/g)) {
            const base = path.resolve(path.dirname(file), spec);
            const target = [`${base}.ts`, path.join(base, "index.ts")].find(candidate => fs.existsSync(candidate));
            if (target) targets.push(target);
        }
        graph.set(file, targets);
    }
    return graph;
}

/** One import cycle among the graph's files, as a list of repository paths, or undefined. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (file: string): string[] | undefined => {
        if (state.get(file) === "done") return undefined;
        if (state.get(file) === "open") return [...stack.slice(stack.indexOf(file)), file];
        state.set(file, "open");
        stack.push(file);
        for (const next of graph.get(file) ?? []) {
            if (!graph.has(next)) continue;
            const cycle = visit(next);
            if (cycle) return cycle;
        }
        stack.pop();
        state.set(file, "done");
        return undefined;
    };
    for (const file of graph.keys()) {
        const cycle = visit(file);
        if (cycle) return cycle.map(f => path.relative(repoRoot, f));
    }
    return undefined;
}

describe("layout: imports", () => {
    it("finds a cycle when there is one (the check itself)", () => {
        const graph = new Map([
            ["/a.ts", ["/b.ts"]],
            ["/b.ts", ["/c.ts"]],
            ["/c.ts", ["/a.ts"]],
        ]);
        assert.ok(findCycle(graph));
        assert.equal(
            findCycle(
                new Map([
                    ["/a.ts", ["/b.ts"]],
                    ["/b.ts", []],
                ]),
            ),
            undefined,
        );
    });

    for (const dir of ["tools", "components", "platform", "policy", "stacks"]) {
        it(`has no import cycle under ${dir}/`, () => {
            const graph = importGraph(path.join(repoRoot, dir));
            for (const key of [...graph.keys()]) if (key.includes(`${path.sep}node_modules${path.sep}`)) graph.delete(key);
            const cycle = findCycle(graph);
            assert.equal(cycle, undefined, `import cycle: ${cycle?.join(" -> ")}`);
        });
    }
});

/**
 * Test files that test no single source file: the layout rules themselves, the workflows, the documents'
 * references, the style checks' configuration, the type check (its own workspace), end-to-end runs.
 */
const unmirroredTests = new Set([
    "layout.test.ts",
    "workflows.test.ts",
    "docs.test.ts",
    "style.test.ts",
    path.join("typecheck", "typecheck.test.ts"),
    path.join("tools", "cli.e2e.test.ts"),
    path.join("tools", "promote", "live.e2e.test.ts"),
]);

describe("layout: tests mirror source paths", () => {
    const testDir = path.join(repoRoot, "test");
    const testFiles = (fs.readdirSync(testDir, { recursive: true }) as string[]).filter(
        f => f.endsWith(".test.ts") && !f.split(path.sep).includes("node_modules"),
    );

    it("every test file X/Y/z.test.ts tests an existing X/Y/z.ts (except support/, fixtures and the listed exceptions)", () => {
        for (const file of testFiles) {
            if (file.startsWith(`support${path.sep}`) || file.split(path.sep).includes("fixtures") || unmirroredTests.has(file)) continue;
            const source = path.join(repoRoot, file.replace(/\.test\.ts$/, ".ts"));
            assert.ok(fs.existsSync(source), `test/${file} mirrors no source file (${path.relative(repoRoot, source)})`);
        }
    });

    it("every component folder has its test at test/components/<name>/index.test.ts", () => {
        for (const folder of componentFolders) {
            assert.ok(
                fs.existsSync(path.join(testDir, "components", folder, "index.test.ts")),
                `components/${folder} has no test/components/${folder}/index.test.ts`,
            );
        }
    });

    it("every platform/<name>.ts fact file has its test at test/platform/<name>.test.ts", () => {
        for (const file of fs.readdirSync(path.join(repoRoot, "platform")).filter(f => f.endsWith(".ts") && f !== "index.ts")) {
            assert.ok(
                fs.existsSync(path.join(testDir, "platform", file.replace(/\.ts$/, ".test.ts"))),
                `platform/${file} has no test/platform/${file.replace(/\.ts$/, ".test.ts")}`,
            );
        }
    });

    it("every policy file policy/<group>/<name>.ts has its test at test/policy/<group>/<name>.test.ts", () => {
        const policyDir = path.join(repoRoot, "policy");
        for (const group of fs
            .readdirSync(policyDir, { withFileTypes: true })
            .filter(d => d.isDirectory() && !["lib", "config", "platform", "node_modules"].includes(d.name))) {
            for (const file of fs.readdirSync(path.join(policyDir, group.name)).filter(f => f.endsWith(".ts"))) {
                const test = path.join(testDir, "policy", group.name, file.replace(/\.ts$/, ".test.ts"));
                assert.ok(fs.existsSync(test), `policy/${group.name}/${file} has no test at ${path.relative(repoRoot, test)}`);
            }
        }
    });
});
