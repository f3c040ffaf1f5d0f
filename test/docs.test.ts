import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { sectionSchemas } from "../stacks/config";
import { configJsonSchema } from "../tools/catalogue/configReference";
import { repoRoot } from "./support/stackConfig";

// The documents stay true to the repository: every file and config key they name exists, and a reason is
// said in words rather than by the number of a design note.

const documents = ["README.md", ...fs.readdirSync(path.join(repoRoot, "docs")).map(f => `docs/${f}`)].filter(f => f.endsWith(".md"));
const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), "utf8");
/** The repository's own top-level entries: a path starting with one of them names a file of ours (others are upstream sources). */
const topLevel = new Set(fs.readdirSync(repoRoot).filter(entry => entry !== "node_modules" && entry !== ".git"));

/** Every file under `dir` (repository-relative), skipping dependencies. */
function sources(dir: string, extensions: string[]): string[] {
    return (fs.readdirSync(path.join(repoRoot, dir), { recursive: true }) as string[])
        .filter(f => !f.split(path.sep).includes("node_modules") && extensions.some(ext => f.endsWith(ext)))
        .map(f => path.join(dir, f).split(path.sep).join("/"));
}
const codeFiles = ["components", "platform", "policy", "stacks", "test", "tools"].flatMap(dir => sources(dir, [".ts", ".js"]));

/** Whether a repository path exists; `<placeholder>` and `*` match any one name. */
function exists(reference: string): boolean {
    const parts = reference.replace(/\/$/, "").split("/");
    let candidates = [repoRoot];
    for (const part of parts) {
        const pattern = new RegExp(`^${part.replace(/[.+?^$()[\]\\|]/g, "\\$&").replace(/<[^>]+>|\*/g, ".*")}$`);
        candidates = candidates.flatMap(dir =>
            fs.existsSync(dir) && fs.statSync(dir).isDirectory()
                ? fs
                      .readdirSync(dir)
                      .filter(e => pattern.test(e))
                      .map(e => path.join(dir, e))
                : [],
        );
    }
    return candidates.length > 0;
}

/** The repository paths a text names: in backticks or as a relative link in a document, as words in a code comment. */
function namedPaths(file: string, text: string): string[] {
    const found: string[] = [];
    const consider = (candidate: string, relativeTo: string) => {
        const normalised = path.posix.normalize(path.posix.join(relativeTo, candidate));
        if (topLevel.has(normalised.split("/")[0]) && normalised.includes("/")) found.push(normalised);
    };
    if (file.endsWith(".md")) {
        for (const [, link] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
            if (!/^[a-z]+:/.test(link)) consider(link, path.posix.dirname(file));
        }
        for (const [, code] of text.matchAll(/`([^`\s]+)`/g)) if (/^[\w.<>*-]+(\/[\w.<>*-]*)+$/.test(code)) consider(code, "");
    } else {
        for (const line of text.split("\n").filter(l => /^\s*(\/\/|\*|\/\*)/.test(l))) {
            // A path right after an `owner/repository` is that repository's, not ours.
            for (const [, word] of line.matchAll(/(?<![\w./@-]|[\w.-]+\/[\w.-]+ )((?:[\w.-]+\/)+[\w.<>*-]*)/g)) {
                consider(word.replace(/[.,;:)]+$/, ""), "");
            }
        }
    }
    return found;
}

/** The keys a section's schema accepts, as dotted paths with `*` for a map's entries and `[]` for a list's items. */
function schemaKeys(schema: z.ZodType): Set<string> {
    const keys = new Set<string>();
    type Json = { properties?: Record<string, Json>; additionalProperties?: Json | boolean; items?: Json; anyOf?: Json[]; not?: object };
    const walk = (s: Json, prefix: string) => {
        for (const alternative of s.anyOf ?? [s]) {
            for (const [name, child] of Object.entries(alternative.properties ?? {})) {
                // A refused key (renamed or split) is not a key to point a reader at.
                if (child.not) continue;
                keys.add(prefix + name);
                walk(child, `${prefix}${name}.`);
            }
            if (typeof alternative.additionalProperties === "object") {
                keys.add(`${prefix}*`);
                walk(alternative.additionalProperties, `${prefix}*.`);
            }
            if (alternative.items) walk(alternative.items, prefix.replace(/\.$/, "[]."));
        }
    };
    walk(configJsonSchema(schema) as Json, "");
    return keys;
}

/** Whether `key` (dotted, after the section) is one of `keys`, any name standing for a map's entry (`services.api`, `services.<name>`). */
function isKey(keys: Set<string>, key: string): boolean {
    let at = "";
    for (const part of key.split(".")) {
        // `steps[]`: the list's items follow, keyed `steps[].weight`.
        const exact = at + part.replace(/\[\]$/, "");
        const entry = `${at}*`;
        if (keys.has(exact) && !/^<.+>$/.test(part)) at = part.endsWith("[]") ? `${exact}[].` : `${exact}.`;
        else if (keys.has(entry)) at = `${entry}.`;
        else return false;
    }
    return true;
}

/** SDK symbols the documents name that look like config keys (the GitHub provider's module shares the section's name). */
const sdkSymbols = new Set(["github.Provider", "github.getTeam"]);

describe("documents", () => {
    it("name every file of this repository that exists, and none that does not (docs, README and code comments)", () => {
        const stale: string[] = [];
        for (const file of [...documents, ...codeFiles]) {
            for (const reference of namedPaths(file, read(file))) if (!exists(reference)) stale.push(`${file}: ${reference}`);
        }
        assert.deepEqual(stale, [], "references to files that do not exist (moved or renamed?)");
    });

    it("name only config keys their section's schema accepts", () => {
        const keysOf = Object.fromEntries(Object.entries(sectionSchemas).map(([section, schema]) => [section, schemaKeys(schema)]));
        const stale: string[] = [];
        let checked = 0;
        for (const file of documents) {
            for (const [, key] of read(file).matchAll(/`(?:trading-platform:)?([a-zA-Z]+(?:\.[\w<>-]+|\[\])+)`/g)) {
                const section = key.split(".")[0];
                // A file name (`trading.ts`) or an SDK symbol is not a key.
                if (!(section in keysOf) || /\.(ts|js|md|json|ya?ml)$/.test(key) || sdkSymbols.has(key)) continue;
                checked++;
                if (!isKey(keysOf[section], key.slice(section.length + 1))) stale.push(`${file}: ${key}`);
            }
        }
        assert.ok(checked > 50, `only ${checked} config keys found in the documents`);
        assert.deepEqual(stale, [], "documents name config keys the schemas do not have");
    });

    it("say a reason in words, never by the number of a design note", () => {
        const byNumber = /\bseeds? \d+\b|\bseeds? and \d+|\bseed's\b|\bthe seed\b/i;
        const offenders: string[] = [];
        for (const file of [...documents, ...codeFiles, "Pulumi.staging.yaml", "Pulumi.production.yaml"]) {
            read(file)
                .split("\n")
                .forEach((line, i) => {
                    if (byNumber.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
                });
        }
        assert.deepEqual(offenders, []);
    });
});
