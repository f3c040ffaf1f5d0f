import * as fs from "fs";
import * as path from "path";
import { syncPlatform } from "../../platform/sync";
import { repoRoot } from "../../runtime/paths";
import { CliIo, parseCli, processIo, runCli } from "../run";

export const usage = `Usage: npm run docs
Refreshes policy/platform/ (the pack's copy of platform/), then regenerates the policy reference block
of docs/policies.md from the pack. Takes no options; run it after changing platform/ or a policy's config schema.`;

/**
 * `npm run docs`: refreshes policy/platform/ (the pack's copy of platform/), then regenerates the policy
 * reference block of docs/policies.md from the pack. Returns the exit code.
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
        const file = path.join(repoRoot, "docs", "policies.md");
        const before = fs.readFileSync(file, "utf8");
        const after = withPolicyReference(before, policies);
        if (before !== after) fs.writeFileSync(file, after);
        io.stdout.write(before === after ? "docs/policies.md is up to date\n" : "docs/policies.md: policy reference regenerated\n");
        return 0;
    });
}
