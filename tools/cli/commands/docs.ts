import * as fs from "fs";
import * as path from "path";
import { syncPlatform } from "../../platform/sync";
import { repoRoot } from "../../runtime/paths";
import { CliIo, parseCli, processIo, runCli } from "../run";

export const usage = `Usage: npm run docs
Refreshes policy/platform/ (the pack's copy of platform/), then regenerates the policy reference block
of docs/policies.md from the pack and the config reference blocks of docs/config.md from the config
schemas. Takes no options; run it after changing platform/, a policy's config schema or a config schema.`;

/** Rewrites `file` (relative to the repository) with `regenerate`'s result; says whether it changed. */
function regenerate(io: CliIo, file: string, what: string, render: (before: string) => string): void {
    const full = path.join(repoRoot, file);
    const before = fs.readFileSync(full, "utf8");
    const after = render(before);
    if (before !== after) fs.writeFileSync(full, after);
    io.stdout.write(before === after ? `${file} is up to date\n` : `${file}: ${what} regenerated\n`);
}

/**
 * `npm run docs`: refreshes policy/platform/ (the pack's copy of platform/), then regenerates the policy
 * reference block of docs/policies.md from the pack and docs/config.md's blocks from the config schemas.
 * Returns the exit code.
 */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
    return runCli(usage, io, async () => {
        // Parsed before anything is written: `--help` (or a typo) changes nothing.
        parseCli(argv, {});
        const changed = syncPlatform();
        if (changed.length > 0) io.stdout.write(`policy/platform/: ${changed.join("; ")}\n`);
        // Loaded after the sync: the pack imports policy/platform/.
        const { policies } = await import("../../../policy/pack");
        const { withPolicyReference } = await import("../../catalogue/policyCatalogue");
        regenerate(io, "docs/policies.md", "policy reference", before => withPolicyReference(before, policies));
        const { configReferenceSources } = await import("../../catalogue/configSources");
        const { withConfigReference } = await import("../../catalogue/configReference");
        regenerate(io, "docs/config.md", "config reference", before => withConfigReference(before, configReferenceSources()));
        return 0;
    });
}
