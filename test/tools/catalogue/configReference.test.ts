import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { configReferenceSources } from "../../../tools/catalogue/configSources";
import { END, renderSection, sectionBegin, withConfigReference } from "../../../tools/catalogue/configReference";
import { repoRoot } from "../../support/stackConfig";

// docs/config.md's tables come from the config schemas: a key's type, default and meaning have one home.

const docPath = path.join(repoRoot, "docs", "config.md");

describe("config reference (docs/config.md)", () => {
    it("is what npm run docs generates from the schemas, the secret keys and the promotion's default checks", () => {
        const document = fs.readFileSync(docPath, "utf8");
        assert.equal(document, withConfigReference(document, configReferenceSources()), "docs/config.md is stale: run npm run docs");
    });

    it("has a block for every section, and names every key the program accepts", () => {
        const document = fs.readFileSync(docPath, "utf8");
        const { sections } = configReferenceSources();
        for (const section of Object.keys(sections)) assert.ok(document.includes(sectionBegin(section)), `no block for ${section}`);
        // Spot checks across the nesting the generator walks: a record's entries, a list's items, a nullable map, a refused key.
        for (const row of [
            "| `networks.<name>.subnet` | IPv4 CIDR | unset |",
            "| `ports[].hostIp` | IPv4 address | `127.0.0.1` |",
            "| `triggers.<name>.above` | number | required |",
            "| `repository` | — | — |",
            "| `blueGreen.weight` | `0` \\| `5` \\| `25` \\| `50` \\| `100` | required |",
        ]) {
            assert.ok(document.includes(row), `missing row ${row}`);
        }
    });

    it("refuses a key without a meaning, a type it cannot word, and a default too long for the table, naming the key", () => {
        assert.throws(
            () => renderSection("example", z.strictObject({ mode: z.string().describe("What it is."), size: z.number() })),
            /example\.size has no meaning in its schema: add \.describe/,
        );
        assert.throws(
            () => renderSection("example", z.strictObject({ when: z.date().describe("A date.") })),
            /no type in words .*give the schema a title/,
        );
        assert.throws(
            () =>
                renderSection(
                    "example",
                    z.strictObject({ list: z.array(z.string()).default(Array(20).fill("entry")).describe("A list.") }),
                ),
            /example\.list: the default .* is too long for the table: word it with \.meta\(\{ defaultText \}\)/,
        );
    });

    it("words types, ranges and defaults from the schema", () => {
        const block = renderSection(
            "example",
            z
                .strictObject({
                    replicas: z.number().int().min(1).max(50).describe("Copies."),
                    ratio: z.number().gt(0).max(1).default(0.5).describe("A share."),
                    name: z.string().meta({ title: "DNS label", description: "Its name." }),
                    tags: z
                        .array(z.enum(["a", "b"]))
                        .default([])
                        .describe("Labels."),
                    nested: z
                        .strictObject({ on: z.boolean().default(true).describe("Switch.") })
                        .optional()
                        .describe("A group."),
                })
                .describe("An example section."),
        );
        assert.deepEqual(block.split("\n"), [
            sectionBegin("example"),
            "",
            "`trading-platform:example`: An example section.",
            "",
            "| Key | Type | Default | Meaning |",
            "| --- | --- | --- | --- |",
            "| `replicas` | integer 1–50 | required | Copies. |",
            "| `ratio` | number > 0, ≤ 1 | `0.5` | A share. |",
            "| `name` | DNS label | required | Its name. |",
            "| `tags` | list of (`a` \\| `b`) | `[]` | Labels. |",
            "| `nested` | object | unset | A group. |",
            "| `nested.on` | boolean | `true` | Switch. |",
            "",
            END,
        ]);
    });
});
