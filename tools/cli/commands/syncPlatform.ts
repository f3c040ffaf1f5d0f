import { syncPlatform } from "../../platform/sync";
import { CliIo, parseCli, processIo, runCli } from "../run";

export const usage = `Usage: npm run sync-platform
Writes policy/platform/, the policy pack's own copy of platform/ (the pack is published alone). Takes no options.`;

/** `npm run sync-platform`: writes policy/platform/, the pack's own copy of platform/. Returns the exit code. */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
    return runCli(usage, io, async () => {
        // Parsed before anything is written: `--help` (or a typo) changes nothing.
        parseCli(argv, {});
        const changed = syncPlatform();
        io.stdout.write(changed.length === 0 ? "policy/platform/ is up to date\n" : `policy/platform/: ${changed.join("; ")}\n`);
        return 0;
    });
}
