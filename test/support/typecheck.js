"use strict";
// The type check `npm test` runs (as its first test, test/support/typecheck.test.ts, beside the others) and
// `npm run typecheck` runs alone: both TypeScript projects, the repository and the policy pack on its own
// as it is published, in one `tsc --build`, which parses the SDKs' declarations once for both and skips a
// project none of whose files changed since it last passed (each project's build info sits in
// node_modules/.cache/tsbuildinfo, as its tsconfig.json says).
const { execFile } = require("child_process");
const fs = require("fs");
const path = require("path");

const repoRoot = path.join(__dirname, "..", "..");
const projects = ["tsconfig.json", path.join("policy", "tsconfig.json")];

/** Runs the check; resolves with tsc's exit code and output (errors, by file and line). */
function typecheck() {
    const tsc = require.resolve("typescript/bin/tsc", { paths: [repoRoot] });
    // A file saved while tsc runs may have been read before the change: stamped with the start, it is newer.
    const started = new Date();
    return new Promise(resolve => {
        execFile(
            process.execPath,
            [tsc, "--build", ...projects],
            { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
                const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
                // tsc leaves a project's build info as it was when a change left nothing to rewrite (a
                // tsconfig.json touched by a checkout), and would then build it again on every run: once
                // every project passed, each is up to date as of the check's start.
                if (code === 0) for (const info of buildInfoFiles()) if (fs.existsSync(info)) fs.utimesSync(info, started, started);
                resolve({ code, output: `${stdout}${stderr}`.trim() });
            },
        );
    });
}

/** Where each project keeps its build info (compilerOptions.tsBuildInfoFile, relative to its tsconfig). */
function buildInfoFiles() {
    return projects.map(project => {
        const file = path.join(repoRoot, project);
        const { compilerOptions } = JSON.parse(fs.readFileSync(file, "utf8"));
        return path.resolve(path.dirname(file), compilerOptions.tsBuildInfoFile);
    });
}

module.exports = { typecheck };

if (require.main === module) {
    void typecheck().then(({ code, output }) => {
        if (output) process.stdout.write(`${output}\n`);
        process.exitCode = code;
    });
}
