import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensureServerBinaries, Installer, missingPackages, serverBinary } from "./debianServers";

/** An installer that records commands and, on `apt-get install`, writes the packages' binaries into `bin`. */
function fakeInstaller(bin: string, uid: number, fail: (command: string, args: string[]) => string | undefined = () => undefined) {
    const calls: string[] = [];
    const installer: Installer = {
        uid,
        run(command, args) {
            calls.push([command, ...args].join(" "));
            const failure = fail(command, args);
            if (failure) throw new Error(failure);
            if (args.includes("install")) {
                const binaries = {
                    prometheus: ["prometheus", "promtool"],
                    "prometheus-alertmanager": ["prometheus-alertmanager"],
                } as Record<string, string[]>;
                for (const pkg of args.filter(a => a in binaries)) {
                    for (const b of binaries[pkg]) fs.writeFileSync(path.join(bin, b), "#!/bin/sh\n", { mode: 0o755 });
                }
            }
        },
    };
    return { installer, calls };
}

describe("the test servers from Debian's packages", () => {
    let bin: string;
    beforeEach(() => (bin = fs.mkdtempSync(path.join(os.tmpdir(), "trading-platform-servers-"))));
    afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));

    it("finds a binary only where it is executable, and names the packages the machine lacks", () => {
        assert.deepEqual(missingPackages([bin]), ["prometheus", "prometheus-alertmanager"]);
        fs.writeFileSync(path.join(bin, "prometheus-alertmanager"), "#!/bin/sh\n", { mode: 0o755 });
        fs.writeFileSync(path.join(bin, "promtool"), "not executable", { mode: 0o644 });
        assert.equal(serverBinary("prometheus-alertmanager", [bin]), path.join(bin, "prometheus-alertmanager"));
        assert.equal(serverBinary("promtool", [bin]), undefined);
        assert.deepEqual(missingPackages([bin]), ["prometheus"]);
    });

    it("as root, installs only what is missing and says so; then installs nothing", () => {
        fs.writeFileSync(path.join(bin, "prometheus-alertmanager"), "#!/bin/sh\n", { mode: 0o755 });
        const { installer, calls } = fakeInstaller(bin, 0);
        const lines: string[] = [];
        ensureServerBinaries(line => lines.push(line), { dirs: [bin], installer });
        assert.deepEqual(calls, ["apt-get install -y -qq --no-install-recommends prometheus"]);
        assert.deepEqual(lines, [
            "test servers: prometheus not on this machine; installing Debian's package: apt-get install -y -qq --no-install-recommends prometheus",
            "test servers: installed prometheus",
        ]);
        ensureServerBinaries(line => lines.push(line), { dirs: [bin], installer });
        assert.equal(calls.length, 1);
    });

    it("uses passwordless sudo when not root, and refreshes stale package lists once", () => {
        let installs = 0;
        const { installer, calls } = fakeInstaller(bin, 1000, (_command, args) =>
            args.includes("install") && installs++ === 0 ? "E: Unable to locate package prometheus" : undefined,
        );
        const lines: string[] = [];
        ensureServerBinaries(line => lines.push(line), { dirs: [bin], installer });
        assert.deepEqual(calls, [
            "sudo -n true",
            "sudo -n apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager",
            "sudo -n apt-get update -qq",
            "sudo -n apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager",
        ]);
        assert.match(
            lines[1],
            /^test servers: apt-get install failed \(E: Unable to locate package prometheus\); running apt-get update first$/,
        );
        assert.deepEqual(missingPackages([bin]), []);
    });

    it("without root or passwordless sudo, says the one command to run", () => {
        const { installer } = fakeInstaller(bin, 1000, command => (command === "sudo" ? "sudo: a password is required" : undefined));
        assert.throws(() => ensureServerBinaries(() => undefined, { dirs: [bin], installer }), {
            message:
                "the promotion's tests run Debian's prometheus and prometheus-alertmanager, which this machine lacks, and npm test can install them only as root or with passwordless sudo: run sudo apt-get install -y --no-install-recommends prometheus prometheus-alertmanager",
        });
    });

    it("names the packages and the command when the install fails after an update", () => {
        const { installer } = fakeInstaller(bin, 0, (_c, args) =>
            args.includes("install") ? "E: Unable to locate package prometheus" : undefined,
        );
        assert.throws(
            () => ensureServerBinaries(() => undefined, { dirs: [bin], installer }),
            /^Error: could not install prometheus and prometheus-alertmanager for the promotion's tests: E: Unable to locate package prometheus \(by hand: sudo apt-get install/,
        );
    });
});
