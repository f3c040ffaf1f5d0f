// Mocha's global setup (.mocharc.js `require`): before any test, the real servers the promotion's
// tests start are on this machine, fetched from Debian's packages when missing. No test timeout applies
// here, so a slow download on a loaded machine never fails a test. Loaded by every test process (each
// parallel worker too), it first defers the SDK modules most tests never use, as the CLIs do.
import "../../tools/runtime/lazyModules";
import { ensureServerBinaries } from "./debianServers";

export function mochaGlobalSetup(): void {
    ensureServerBinaries(line => process.stderr.write(`${line}\n`));
}
