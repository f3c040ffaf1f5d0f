import * as fs from "fs";
import * as path from "path";
import { syncPlatform } from "../../platform/sync";
import { repoRoot } from "../../runtime/paths";
import { CliIo, processIo } from "../run";

/**
 * `npm run docs`: refreshes policy/platform/ (the pack's copy of platform/), then regenerates the policy
 * reference block of docs/policies.md from the pack. Returns the exit code.
 */
export async function main(_argv: string[], io: CliIo = processIo): Promise<number> {
    const changed = syncPlatform();
    if (changed.length > 0) io.stdout.write(`policy/platform/: ${changed.join("; ")}\n`);
    // Loaded after the sync: the pack imports policy/platform/.
    const { policies } = await import("../../../policy/pack");
    const { withPolicyReference } = await import("../../catalogue/policyCatalogue");
    const file = path.join(repoRoot, "docs", "policies.md");
    const before = fs.readFileSync(file, "utf8");
    const after = withPolicyReference(before, policies);
    fs.writeFileSync(file, after);
    io.stdout.write(before === after ? "docs/policies.md is up to date\n" : "docs/policies.md: policy reference regenerated\n");
    return 0;
}
