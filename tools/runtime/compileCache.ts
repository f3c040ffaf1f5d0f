// V8's code cache for every CommonJS module a tool, the benchmark or a test process loads: compiling
// the SDKs' JavaScript is most of what loading them costs (node requiring package.json's dependencies
// spends ~40 % of its CPU in V8's compiler). Node 22 has this built in (module.enableCompileCache),
// used when present; on Node 20 this hook compiles each module through vm.Script with the cached data
// of an earlier process, kept in node_modules/.cache by content hash beside the transpiled TypeScript.
// The cache is written after the module ran, so it holds the functions its loading compiled too.
import * as crypto from "crypto";
import * as fs from "fs";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the loader is a class whose statics this hook replaces
import Module = require("module");
import * as path from "path";
import * as vm from "vm";

/** The loader's internals this hook replaces and calls, as Node defines them (lib/internal/modules/cjs/loader.js). */
type Loader = typeof Module & {
    enableCompileCache?: (dir: string) => unknown;
    wrap: (content: string) => string;
    _extensions: NodeJS.RequireExtensions;
    _cache: NodeJS.Dict<NodeJS.Module>;
    _resolveFilename: (request: string, parent: NodeJS.Module, isMain: boolean, options?: { paths?: string[] }) => string;
    _resolveLookupPaths: (request: string, parent: NodeJS.Module) => string[] | null;
    prototype: NodeJS.Module & { _compile: Compile & { [installed]?: boolean } };
};
type Compile = (this: NodeJS.Module, content: string, filename: string, format?: string) => unknown;
const loader = Module as unknown as Loader;

const installed: unique symbol = Symbol("trading-platform compile cache");
export const cacheDir = path.join(__dirname, "..", "..", "node_modules", ".cache", "trading-platform-v8");

function install(): void {
    if (typeof loader.enableCompileCache === "function") {
        loader.enableCompileCache(cacheDir);
        return;
    }
    if (loader.prototype._compile[installed]) return;
    // V8 refuses cached code made under other flags (--expose-gc, a heap size): each set keeps its own.
    const flags = [
        ...process.execArgv.filter(arg => arg.startsWith("--") && !/^--(require|cpu-prof-dir)\b/.test(arg)),
        process.env.NODE_OPTIONS ?? "",
    ].join(" ");
    const salt = `${process.version} ${process.versions.v8} ${process.arch} ${flags}\n`;
    const compile = loader.prototype._compile;
    /** Scripts compiled without usable cached data: their cache is written once they have run. */
    let pending: { script: vm.Script; file: string }[] = [];

    const cached: Compile = function (content, filename, format) {
        // Only the dependencies' CommonJS (most of the code, and none of it changes between runs). The
        // repository's own files go through Node as they are, so the first file Node runs keeps its
        // resolution caches.
        if (format === "module" || !filename.includes(`${path.sep}node_modules${path.sep}`)) {
            return compile.call(this, content, filename, format);
        }
        const key = crypto.createHash("sha1").update(salt).update(filename).update("\0").update(content).digest("hex");
        const file = path.join(cacheDir, key.slice(0, 2), `${key}.bin`);
        let cachedData: Buffer | undefined;
        try {
            cachedData = fs.readFileSync(file);
        } catch {
            // Not cached yet.
        }
        // An empty entry: a module that calls `import()`, which needs Node's own loader hooks (vm.Script
        // cannot take them on Node 20), so Node compiles it.
        if (cachedData?.length === 0) return compile.call(this, content, filename, format);
        if (cachedData === undefined && callsImport(content)) {
            save(file, Buffer.alloc(0));
            return compile.call(this, content, filename, format);
        }
        let script: vm.Script;
        try {
            script = new vm.Script(loader.wrap(content), { filename, cachedData });
        } catch {
            // Not a CommonJS script (ES module syntax, a syntax error): Node's loader says what it is.
            return compile.call(this, content, filename, format);
        }
        if (cachedData === undefined || script.cachedDataRejected) {
            if (pending.length === 0) setTimeout(writePending, 2000).unref();
            pending.push({ script, file });
        }
        const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
        return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
    };
    loader.prototype._compile = Object.assign(cached, { [installed]: true });

    function writePending(): void {
        const scripts = pending;
        pending = [];
        for (const { script, file } of scripts) save(file, script.createCachedData());
    }
    process.once("exit", writePending);
}

function save(file: string, data: Buffer): void {
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Written under a unique name then renamed, so a concurrent reader never sees half a file.
        const partial = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(partial, data);
        fs.renameSync(partial, file);
    } catch {
        // A read-only checkout still runs, just without the cache.
    }
}

/** The `require` Node gives a module (lib/internal/modules/helpers.js makeRequireFunction). */
function requireFor(module: NodeJS.Module): NodeJS.Require {
    const resolve = Object.assign(
        (request: string, options?: { paths?: string[] }) => loader._resolveFilename(request, module, false, options),
        {
            paths: (request: string) => loader._resolveLookupPaths(request, module),
        },
    );
    return Object.assign((id: string) => module.require(id), {
        resolve,
        main: require.main,
        extensions: loader._extensions,
        cache: loader._cache,
    }) as NodeJS.Require;
}

/**
 * Whether a script calls `import(...)`: the keyword `import` followed by `(`, in code (not in a comment,
 * a string, a template's text or a regular expression) and not as a property (`x.import(`).
 */
export function callsImport(s: string): boolean {
    if (!s.includes("import")) return false;
    const n = s.length;
    let i = 0;
    let last = 0; // the last significant character code in code, 0 at the start
    let lastWord = ""; // the last identifier or keyword, when it was the last token
    let depth = 0; // brace depth in code
    const resume: number[] = []; // brace depths at which a template's `${` closes
    if (s.startsWith("#!")) i = s.indexOf("\n") < 0 ? n : s.indexOf("\n");
    const isIdent = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c > 127;
    /** Skips a template's text from i (after the backtick or a closing brace); returns where code resumes, or -1 at its end. */
    const template = (j: number) => {
        for (; j < n; j++) {
            const c = s.charCodeAt(j);
            if (c === 92) j++;
            else if (c === 96) return { end: j + 1, open: false };
            else if (c === 36 && s.charCodeAt(j + 1) === 123) return { end: j + 2, open: true };
        }
        return { end: n, open: false };
    };
    const enterTemplate = (j: number) => {
        const t = template(j);
        i = t.end;
        if (t.open) {
            resume.push(depth);
            depth++;
            last = 123;
            lastWord = "";
        } else {
            last = 97;
            lastWord = "";
        }
    };
    const regexAfterWord = new Set([
        "return",
        "typeof",
        "instanceof",
        "in",
        "of",
        "new",
        "delete",
        "void",
        "throw",
        "case",
        "do",
        "else",
        "yield",
        "await",
    ]);
    while (i < n) {
        const c = s.charCodeAt(i);
        if (
            c === 32 ||
            c === 9 ||
            c === 10 ||
            c === 13 ||
            c === 11 ||
            c === 12 ||
            c === 0xa0 ||
            c === 0xfeff ||
            c === 0x2028 ||
            c === 0x2029
        ) {
            i++;
            continue;
        }
        if (c === 47) {
            const d = s.charCodeAt(i + 1);
            if (d === 47) {
                const end = s.indexOf("\n", i);
                i = end < 0 ? n : end;
                continue;
            }
            if (d === 42) {
                const end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                continue;
            }
            const regexHere = lastWord
                ? regexAfterWord.has(lastWord)
                : last === 0 || "(,=:[!&|?{};+-*%<>~^".includes(String.fromCharCode(last)) || last === 125;
            if (regexHere) {
                // A regular expression ends on its line; if none ends there, it was a division after all.
                let j = i + 1;
                let inClass = false;
                for (; j < n; j++) {
                    const r = s.charCodeAt(j);
                    if (r === 10 || r === 13) break;
                    if (r === 92) j++;
                    else if (r === 91) inClass = true;
                    else if (r === 93) inClass = false;
                    else if (r === 47 && !inClass) break;
                }
                if (j < n && s.charCodeAt(j) === 47) {
                    i = j + 1;
                    while (i < n && isIdent(s.charCodeAt(i))) i++;
                    last = 97;
                    lastWord = "";
                    continue;
                }
            }
            i++;
            last = 47;
            lastWord = "";
            continue;
        }
        if (c === 39 || c === 34) {
            let j = i + 1;
            for (; j < n; j++) {
                const r = s.charCodeAt(j);
                if (r === 92) j++;
                else if (r === c || r === 10) break;
            }
            i = j + 1;
            last = 97;
            lastWord = "";
            continue;
        }
        if (c === 96) {
            enterTemplate(i + 1);
            continue;
        }
        if (c === 123) {
            depth++;
            i++;
            last = c;
            lastWord = "";
            continue;
        }
        if (c === 125) {
            depth--;
            if (resume.length && resume[resume.length - 1] === depth) {
                resume.pop();
                enterTemplate(i + 1);
                continue;
            }
            i++;
            last = c;
            lastWord = "";
            continue;
        }
        if (isIdent(c)) {
            let j = i + 1;
            while (j < n && isIdent(s.charCodeAt(j))) j++;
            const word = s.slice(i, j);
            if (word === "import" && last !== 46) {
                let k = j;
                for (;;) {
                    while (k < n && /\s/.test(s[k])) k++;
                    if (s.startsWith("/*", k)) {
                        const end = s.indexOf("*/", k + 2);
                        k = end < 0 ? n : end + 2;
                    } else if (s.startsWith("//", k)) {
                        const end = s.indexOf("\n", k);
                        k = end < 0 ? n : end;
                    } else break;
                }
                if (s.charCodeAt(k) === 40) return true;
            }
            i = j;
            last = 97;
            lastWord = word;
            continue;
        }
        i++;
        last = c;
        lastWord = "";
    }
    return false;
}

install();
