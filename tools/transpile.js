"use strict";
// `node -r ./tools/transpile.js x.ts`: runs the TypeScript sources as sucrase/register/ts does, with
// the transpiled output kept in node_modules/.cache so a later process skips transpiling (and loading
// sucrase) for every file it has seen. Sucrase keeps line numbers, so stacks need no source maps.
// Types are checked by `tsc` in `npm test`, never here.
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

// Modern syntax (optional chaining, ??, class fields) is left as it is: Node runs it natively, where
// sucrase's helpers cost an array and closures per `?.`, and tsc (target ES2022) gives class fields
// the same define semantics the Pulumi CLI's ts-node runs them with.
const options = { transforms: ["imports", "typescript"], disableESTransforms: true };
const salt = `sucrase ${require("sucrase/package.json").version} ${JSON.stringify(options)}\n`;
const cacheDir = path.join(__dirname, "..", "node_modules", ".cache", "trading-platform-ts");
let sucrase;

function transpile(source, filePath) {
    const key = crypto.createHash("sha1").update(salt).update(filePath).update("\0").update(source).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // Not cached yet: transpile below.
    }
    sucrase ??= require("sucrase");
    const code = sucrase.transform(source, { ...options, filePath }).code;
    try {
        fs.mkdirSync(cacheDir, { recursive: true });
        // Written under a unique name then renamed, so a concurrent reader never sees half a file.
        const partial = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(partial, code);
        fs.renameSync(partial, cached);
    } catch {
        // A read-only checkout still runs, just without the cache.
    }
    return code;
}

Module._extensions[".ts"] = function (module, filename) {
    module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
