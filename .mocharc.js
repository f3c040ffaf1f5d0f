"use strict";
// Mocha's config for `npm test`. The test files run in parallel worker processes, one per core and at
// least two (MOCHA_JOBS sets another number), each file whole in one worker. Files start in the
// order below: the type check and the files that run longest first (they wait on real servers or walk
// a promotion end to end), so the workers finish together; then the rest in path order. To run one
// file: npx mocha --no-config -r ./tools/transpile.js -r ./test/support/globalSetup.ts --extension ts --timeout 30000 test/path/x.test.ts
const fs = require("fs");
const os = require("os");
const path = require("path");

const longestFirst = [
    "test/typecheck/typecheck.test.ts",
    "test/style.test.ts",
    "test/tools/promote/live.e2e.test.ts",
    "test/tools/cli/commands/promote.test.ts",
    "test/tools/promote/machine.test.ts",
    "test/tools/cli.e2e.test.ts",
    "test/workflows.test.ts",
    "test/tools/gate/promotionGate.test.ts",
    "test/tools/promote/liveDriver.test.ts",
    "test/tools/plan/diff.test.ts",
];

/** Every *.test.ts under `dir` (relative to the repository), in path order. */
function testFiles(dir) {
    return fs
        .readdirSync(path.join(__dirname, dir), { withFileTypes: true })
        .sort((a, b) => a.name.localeCompare(b.name))
        .flatMap(entry => {
            const file = path.posix.join(dir, entry.name);
            if (entry.isDirectory()) return entry.name === "node_modules" ? [] : testFiles(file);
            return entry.name.endsWith(".test.ts") ? [file] : [];
        });
}

const all = testFiles("test");
const first = longestFirst.filter(file => all.includes(file));
const inRepository = file => path.join(__dirname, file);

module.exports = {
    require: ["./tools/transpile.js", "./test/support/globalSetup.ts"],
    spec: [...first, ...all.filter(file => !first.includes(file))].map(inRepository),
    extension: ["ts"],
    parallel: true,
    // A young generation four times V8's default: the workers keep plans and modules alive across files,
    // and collecting them took 14 % of the workers' time; this way 7 %. The workers inherit the flag.
    "node-option": ["max-semi-space-size=64"],
    jobs: Number(process.env.MOCHA_JOBS) || Math.max(2, os.availableParallelism()),
    timeout: 30000,
    reporter: "test/support/countingReporter.js",
    "forbid-only": true,
    "forbid-pending": true,
};
