// The real Prometheus and Alertmanager the promotion's tests run, from Debian's packages (Ubuntu's on
// GitHub's runner). `npm test` brings them when they are missing: apt-get install, as root or through
// passwordless sudo (CI, GitHub's runner), saying so. Unpacking the packages without root is not
// enough: Debian's Alertmanager reads its default template from /usr/share/prometheus/alertmanager.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Each binary the tests run, and the Debian package that ships it. */
export const SERVER_BINARIES = {
    prometheus: "prometheus",
    promtool: "prometheus",
    "prometheus-alertmanager": "prometheus-alertmanager",
} as const;
export type ServerBinary = keyof typeof SERVER_BINARIES;

/** Where binaries are looked for: PATH, then /usr/bin (where the packages put them) in case PATH lacks it. */
const searchPath = () => [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), "/usr/bin"];

function executable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/** The binary's path, or undefined when the machine does not have it. */
export function serverBinary(binary: ServerBinary, dirs: string[] = searchPath()): string | undefined {
    return dirs.map(dir => path.join(dir, binary)).find(executable);
}

/** The packages whose binaries the machine lacks. */
export function missingPackages(dirs: string[] = searchPath()): string[] {
    return [...new Set((Object.keys(SERVER_BINARIES) as ServerBinary[]).filter(b => !serverBinary(b, dirs)).map(b => SERVER_BINARIES[b]))];
}

export interface Installer {
    /** The process's user id (0: root). */
    uid: number;
    /** Runs a command, throwing with its output when it fails. */
    run(command: string, args: string[]): void;
}

const systemInstaller: Installer = {
    uid: process.getuid?.() ?? -1,
    run(command, args) {
        try {
            execFileSync(command, args, {
                stdio: ["ignore", "pipe", "pipe"],
                maxBuffer: 16 * 1024 * 1024,
                env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
            });
        } catch (e) {
            const err = e as { code?: string; stderr?: Buffer; stdout?: Buffer; message: string };
            if (err.code === "ENOENT") throw new Error(`${command} is not on this machine`, { cause: e });
            const said = `${err.stderr?.toString() ?? ""}${err.stdout?.toString() ?? ""}`.trim().split("\n").slice(-6).join("\n");
            throw new Error(`${command} ${args.join(" ")} failed: ${said || err.message}`, { cause: e });
        }
    },
};

/** Installs what is missing with apt-get (root, or sudo without a password); says what it does. */
export function ensureServerBinaries(log: (line: string) => void, options: { dirs?: string[]; installer?: Installer } = {}): void {
    const missing = missingPackages(options.dirs);
    if (missing.length === 0) return;
    const installer = options.installer ?? systemInstaller;
    const byHand = `sudo apt-get install -y --no-install-recommends ${missing.join(" ")}`;
    let sudo: string[] = [];
    if (installer.uid !== 0) {
        try {
            installer.run("sudo", ["-n", "true"]);
            sudo = ["sudo", "-n"];
        } catch {
            throw new Error(
                `the promotion's tests run Debian's ${missing.join(" and ")}, which this machine lacks, and npm test can install them only as root or with passwordless sudo: run ${byHand}`,
            );
        }
    }
    const apt = (args: string[]) =>
        sudo.length ? installer.run(sudo[0], [...sudo.slice(1), "apt-get", ...args]) : installer.run("apt-get", args);
    const install = ["install", "-y", "-qq", "--no-install-recommends", ...missing];
    log(
        `test servers: ${missing.join(" and ")} not on this machine; installing Debian's package${missing.length > 1 ? "s" : ""}: ${sudo.length ? "sudo " : ""}apt-get ${install.join(" ")}`,
    );
    try {
        apt(install);
    } catch (first) {
        // A fresh image often ships without package lists, or with stale ones.
        log(`test servers: apt-get install failed (${(first as Error).message.split("\n").pop()}); running apt-get update first`);
        try {
            apt(["update", "-qq"]);
            apt(install);
        } catch (second) {
            throw new Error(
                `could not install ${missing.join(" and ")} for the promotion's tests: ${(second as Error).message} (by hand: ${byHand})`,
                { cause: second },
            );
        }
    }
    const still = missingPackages(options.dirs);
    if (still.length) {
        throw new Error(`apt-get installed ${missing.join(" and ")}, yet ${still.join(", ")} has no binary on PATH or in /usr/bin`);
    }
    log(`test servers: installed ${missing.join(" and ")}`);
}
