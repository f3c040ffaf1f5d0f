// The Pulumi SDK loads its Automation API, npm's package tree reader (@npmcli/arborist) and what its
// closure serializer needs (the TypeScript compiler, npm's package.json normalizer) whenever it is
// required: most of the SDK's load time, for commands that neither start a Pulumi program nor serialize
// a function. Required first by the entries of those commands (plan, policy check), this puts stand-ins
// in the module cache that load the real modules on first use: `pulumi.automation` and
// `pulumi.runtime.serializeFunction` still work, only later.
import * as path from "path";

const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [path.join(__dirname, "..", "..")] }));

/** Puts a stand-in for `file` in the module cache that loads the real module on first use. */
function deferModule(file: string): void {
    if (require.cache[file]) return;
    let loaded: Record<string | symbol, unknown> | undefined;
    const load = () => {
        if (!loaded) {
            delete require.cache[file];
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the real module, loaded on first use
            loaded = require(file) as Record<string | symbol, unknown>;
        }
        return loaded;
    };
    // What `__importDefault` reads from a module marked as an ES module: a CommonJS module's default is itself.
    const member = (key: string | symbol) => {
        const real = load();
        return key === "default" && !real.__esModule ? real : real[key];
    };
    const standIn = new Proxy({} as Record<string | symbol, unknown>, {
        // An ES-module marker, so the SDK's `__importStar` and `__importDefault` take the stand-in as it is
        // instead of copying its keys.
        get: (_, key) => (key === "__esModule" ? true : member(key)),
        has: (_, key) => key === "__esModule" || key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(load(), key),
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Node's Module class, to build the stand-in's cache entry
    const module = new (require("module") as new (id: string) => NodeJS.Module)(file);
    module.filename = file;
    module.loaded = true;
    module.exports = standIn;
    require.cache[file] = module;
}

deferModule(require.resolve("./automation", { paths: [sdk] }));
deferModule(require.resolve("@npmcli/arborist", { paths: [sdk] }));
// The closure serializer's: the SDK reads TypeScript through its shim, only inside the functions that parse.
deferModule(require.resolve("./typescript-shim", { paths: [sdk] }));
deferModule(require.resolve("normalize-package-data", { paths: [sdk] }));
