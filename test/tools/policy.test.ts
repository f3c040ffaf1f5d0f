import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PLAN_SCHEMA_VERSION } from "../../tools/lib/planDocument";
import { main } from "../../tools/policy";
import { runInProcess, tempDir } from "../support/cli";

const hardened = "test/fixtures/manifests/hardened.yaml";
const check = (...args: string[]) => runInProcess(main, ["check", ...args]);

/** A usage error: exit 2, a short message on stderr, no trace, nothing on stdout. */
function assertUsage(result: { code: number; stdout: string; stderr: string }, message: RegExp): void {
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "a stack trace was printed");
    assert.doesNotMatch(result.stderr, /^Usage:/m, "the whole usage block was repeated");
    assert.match(result.stderr, /Run `npm run policy -- --help` for usage\./);
    assert.equal(result.stdout, "");
}

describe("policy check: bad input", () => {
    const dir = tempDir();

    it("refuses a stack the pack does not know, naming the known ones", async () => {
        for (const stack of ["Staging", "dev", "staging-eu"]) {
            assertUsage(await check(hardened, "--stack", stack), new RegExp(`Unknown stack "${stack}": the policy pack knows production, staging`));
        }
    });

    it("refuses a missing file and a directory with one line, no stack trace", async () => {
        assertUsage(await check("rendered/missing.yaml", "--stack", "staging"), /^Manifest file rendered\/missing\.yaml does not exist\n/);
        assertUsage(await check(dir, "--stack", "staging"), /is a directory; give the files in it \(e\.g\. .*\*\.yaml\)/);
        assertUsage(await check(path.join(dir, "missing.json")), /^Plan file .*missing\.json does not exist/);
    });

    it("refuses an empty manifest set: a failed `helm template > file` leaves an empty file", async () => {
        const empty = path.join(dir, "empty.yaml");
        fs.writeFileSync(empty, "");
        assertUsage(await check(empty, "--stack", "staging"), /empty\.yaml holds no Kubernetes object/);
        const separators = path.join(dir, "separators.yaml");
        fs.writeFileSync(separators, "---\n---\n");
        assertUsage(await check(hardened, separators, "--stack", "staging"), /separators\.yaml holds no Kubernetes object/);
    });

    it("refuses --json or --markdown pointing at a directory before printing any verdict", async () => {
        assertUsage(await check(hardened, "--stack", "staging", "--json", dir), /--json .* is a directory/);
        assertUsage(await check(hardened, "--stack", "staging", "--markdown", `${dir}/`), /--markdown needs a file name/);
    });

    it("refuses a plan whose resources is not an array or lacks secretPaths", async () => {
        const base = { schemaVersion: PLAN_SCHEMA_VERSION, kind: "trading-platform/plan", project: "trading-platform", stack: "staging" };
        const notArray = path.join(dir, "not-array.json");
        fs.writeFileSync(notArray, JSON.stringify({ ...base, resources: {} }));
        assertUsage(await check(notArray), /not-array\.json is not a valid plan: "resources" must be an array \(found a object\)/);
        const noSecretPaths = path.join(dir, "no-secret-paths.json");
        const resource = { urn: "urn:pulumi:staging::trading-platform::docker:index/container:Container::c", type: "docker:index/container:Container", name: "c", custom: true, inputs: {}, unknownPaths: [], dependencies: [] };
        fs.writeFileSync(noSecretPaths, JSON.stringify({ ...base, resources: [resource] }));
        assertUsage(await check(noSecretPaths), /resources\[0\] has no secretPaths array/);
    });

    it("refuses a repeated flag instead of taking the last value", async () => {
        assertUsage(await check(hardened, "--stack", "production", "--stack", "staging"), /^--stack is given more than once; give it once\n/);
    });

    it("prints one line and a hint on a usage error, and the usage on --help", async () => {
        const result = await runInProcess(main, ["lint"]);
        assertUsage(result, /^Unknown command "lint"\nRun `npm run policy -- --help` for usage\.\n$/);
        const help = await runInProcess(main, ["--help"]);
        assert.equal(help.code, 0);
        assert.match(help.stdout, /^Usage: npm run policy -- check FILE\.\.\./);
        assert.match(help.stdout, /helm template/);
    });

    it("refuses a lowercase kind as invalid rather than skipping it", async () => {
        const lower = path.join(dir, "lower.yaml");
        fs.writeFileSync(lower, "apiVersion: apps/v1\nkind: deployment\nmetadata: { name: api }\nspec: {}\n");
        assertUsage(await check(lower, "--stack", "staging"), /document 1 has kind "deployment", which is not a valid Kubernetes kind/);
    });

    it("refuses a policy config naming a policy the pack lacks", async () => {
        const config = path.join(dir, "typo.json");
        fs.writeFileSync(config, JSON.stringify({ "no-plaintext-credential": "advisory" }));
        const result = await check(hardened, "--stack", "staging", "--policy-config", config);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /"no-plaintext-credential" is not a policy of pack trading-platform/);
    });
});
