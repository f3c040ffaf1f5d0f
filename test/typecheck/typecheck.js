"use strict";
// The type check `npm test` runs (as one of its tests, typecheck.test.ts beside this file, in parallel
// with the others) and `npm run typecheck` runs alone: both TypeScript projects, the repository and the
// policy pack on its own as it is published, with TypeScript 7 (this folder's own dependency, an npm
// workspace, so the root keeps TypeScript 5.9 for the Pulumi CLI's ts-node, which @pulumi/pulumi pins
// below 7). TypeScript 7 checks both in a tenth of 5.9's CPU time; the CLI still compiles and
// type-checks the program and the pack with 5.9 in every `pulumi preview`.
const { execFile } = require("child_process");
const path = require("path");

const repoRoot = path.join(__dirname, "..", "..");
/** Each project's tsconfig.check.json: its tsconfig.json, with the module resolution TypeScript 7 has. */
const projects = ["tsconfig.check.json", path.join("policy", "tsconfig.check.json")];

/** Runs the check of one project; resolves with tsc's exit code and output (errors, by file and line). */
function check(project) {
    // TypeScript 7 exports no ./bin/tsc: its package.json's bin says where the command is.
    const manifest = require.resolve("typescript/package.json", { paths: [__dirname] });
    const tsc = path.join(path.dirname(manifest), require(manifest).bin.tsc);
    return new Promise(resolve => {
        execFile(process.execPath, [tsc, "-p", project], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
            resolve({ code, output: `${stdout}${stderr}`.trim() });
        });
    });
}

/** Checks both projects at once; the exit code is the first failure's, the output both projects'. */
async function typecheck() {
    const results = await Promise.all(projects.map(check));
    return {
        code: results.find(r => r.code !== 0)?.code ?? 0,
        output: results
            .map((r, i) => (r.output ? `${projects[i]}:\n${r.output}` : ""))
            .filter(Boolean)
            .join("\n"),
    };
}

module.exports = { typecheck, check, projects };

if (require.main === module) {
    void typecheck().then(({ code, output }) => {
        if (output) process.stdout.write(`${output}\n`);
        process.exitCode = code;
    });
}
