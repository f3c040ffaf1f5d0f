import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { boundsProblem, INPUT_LIMITS, parseJsonInput, parseYamlInput, parseYamlStream, readInputFile } from "../../../tools/cli/inputFiles";
import { aliasBomb } from "../../support/badInput";
import { tempDir } from "../../support/cli";

describe("input files: one bounded reader", () => {
    const dir = tempDir();
    const usage = (message: RegExp) => ({ name: "UsageError", message });

    it("reads a regular UTF-8 file", () => {
        const file = path.join(dir, "ok.yaml");
        fs.writeFileSync(file, "a: é\n");
        assert.equal(readInputFile(file, "Manifest file"), "a: é\n");
    });

    it("refuses what is not a regular file without opening it: a FIFO would block, /dev/zero never ends", () => {
        const fifo = path.join(dir, "fifo");
        execFileSync("mkfifo", [fifo]);
        assert.throws(
            () => readInputFile(fifo, "Stack file"),
            usage(new RegExp(`^Stack file ${fifo} is a named pipe \\(FIFO\\); expected a regular file$`)),
        );
        assert.throws(
            () => readInputFile("/dev/zero", "Stack file"),
            usage(/^Stack file \/dev\/zero is a character device; expected a regular file$/),
        );
        assert.throws(() => readInputFile(dir, "Manifest file"), usage(/is a directory; give the files in it/));
        assert.throws(
            () => readInputFile(path.join(dir, "missing.yaml"), "Manifest file"),
            usage(/^Manifest file .*missing\.yaml does not exist$/),
        );
    });

    it("bounds the size before reading, and refuses binary data and text that is not UTF-8", () => {
        const big = path.join(dir, "big.yaml");
        fs.writeFileSync(big, "x".repeat(2048));
        assert.throws(() => readInputFile(big, "Stack file", 1024), usage(/^Stack file .*big\.yaml is 2 KiB; expected at most 1 KiB$/));
        const binary = path.join(dir, "binary.yaml");
        fs.writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
        assert.throws(() => readInputFile(binary, "Stack file"), usage(/is binary data \(it holds NUL bytes\); expected text$/));
        const latin1 = path.join(dir, "latin1.yaml");
        fs.writeFileSync(latin1, Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
        assert.throws(() => readInputFile(latin1, "Stack file"), usage(/is not UTF-8 text$/));
    });

    it("refuses an alias bomb in a manifest stream (js-yaml) quickly, naming the file and the document", () => {
        const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\nkind: Bomb\n${aliasBomb()}`;
        // CPU, not wall time: a loaded machine stretches the one, never the other.
        const start = process.cpuUsage();
        assert.throws(
            () => parseYamlStream(text, "bomb.yaml"),
            usage(/^bomb\.yaml: document 2 expands to more than 1,000,000 characters once its aliases are resolved \(an alias bomb\?\)$/),
        );
        const used = process.cpuUsage(start);
        assert.ok((used.user + used.system) / 1e6 < 5, "refusing the bomb took seconds of CPU");
    });

    it("refuses an alias bomb in a stack file (yaml) and nesting past the bound in both parsers and in JSON", () => {
        assert.throws(
            () => parseYamlInput(aliasBomb(), "Pulumi.staging.yaml"),
            usage(/^Pulumi\.staging\.yaml is not valid YAML: its aliases expand too far/),
        );
        const deepFlow = "[".repeat(INPUT_LIMITS.maxDepth + 5) + "]".repeat(INPUT_LIMITS.maxDepth + 5);
        assert.throws(
            () => parseYamlInput(`a: ${deepFlow}\n`, "s.yaml"),
            usage(/^s\.yaml is not valid input: it is nested deeper than 100 levels$/),
        );
        // 3,000 deep: with the library's pretty errors on, this crashed the process (V8 out of memory in a regular expression).
        assert.throws(
            () => parseYamlInput("[".repeat(3000) + "]".repeat(3000), "s.yaml"),
            usage(/^s\.yaml is not valid YAML: it is nested deeper than 100 levels$/),
        );
        assert.throws(
            () => parseYamlStream(`a: ${deepFlow}\n`, "m.yaml"),
            usage(/^m\.yaml: document 1 is not valid YAML: nesting exceeded maxDepth \(100\)/),
        );
        assert.throws(
            () => parseJsonInput("[".repeat(5000) + "]".repeat(5000), "p.json", "a plan JSON file"),
            usage(/^p\.json is not a plan JSON file: it is nested deeper than 100 levels$/),
        );
    });

    it("allows a few honest aliases, and counts what they expand to", () => {
        const { documents } = parseYamlStream("base: &b {cpu: 1}\na: *b\nb: *b\n", "m.yaml");
        assert.deepEqual(documents, [{ base: { cpu: 1 }, a: { cpu: 1 }, b: { cpu: 1 } }]);
        const shared = { x: "y".repeat(1000) };
        assert.equal(boundsProblem({ a: shared, b: shared }, 100), undefined);
        assert.match(boundsProblem(Array(2000).fill({ x: 1 }), 100) ?? "", /uses more than 1000 aliases/);
        const cycle: Record<string, unknown> = {};
        cycle.self = cycle;
        assert.match(boundsProblem(cycle, 10) ?? "", /refers to itself/);
    });

    it("gives each document of a stream the line its content starts on", () => {
        const { lines } = parseYamlStream("# comment\napiVersion: v1\nkind: A\n---\n\n# two\napiVersion: v1\nkind: B\n---\n", "m.yaml");
        assert.deepEqual(lines.slice(0, 2), [2, 7]);
    });
});
