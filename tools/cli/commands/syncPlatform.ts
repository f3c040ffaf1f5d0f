import { syncPlatform } from "../../platform/sync";
import { CliIo, processIo } from "../run";

/** `npm run sync-platform`: writes policy/platform/, the pack's own copy of platform/. Returns the exit code. */
export async function main(_argv: string[], io: CliIo = processIo): Promise<number> {
    const changed = syncPlatform();
    io.stdout.write(changed.length === 0 ? "policy/platform/ is up to date\n" : `policy/platform/: ${changed.join("; ")}\n`);
    return 0;
}
