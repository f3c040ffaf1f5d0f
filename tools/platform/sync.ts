import * as fs from "fs";
import * as path from "path";

// The policy pack is published on its own (`pulumi policy publish` packs only policy/), so it carries a
// byte-identical copy of platform/ in policy/platform/. This writes the copy and says where it differs.

export const platformDir = path.resolve(__dirname, "..", "..", "platform");
export const policyPlatformDir = path.resolve(__dirname, "..", "..", "policy", "platform");

const tsFiles = (dir: string): string[] =>
    fs.existsSync(dir)
        ? fs
              .readdirSync(dir)
              .filter(f => f.endsWith(".ts"))
              .sort()
        : [];

/** The files of `copy` that are missing, extra or not byte-identical to `source`. Empty when in sync. */
export function platformCopyDifferences(source = platformDir, copy = policyPlatformDir): string[] {
    const problems: string[] = [];
    const copied = new Set(tsFiles(copy));
    for (const file of tsFiles(source)) {
        if (!copied.has(file)) problems.push(`${file}: missing from the copy`);
        else if (!fs.readFileSync(path.join(source, file)).equals(fs.readFileSync(path.join(copy, file)))) {
            problems.push(`${file}: differs`);
        }
        copied.delete(file);
    }
    for (const extra of copied) problems.push(`${extra}: not in the source`);
    return problems;
}

/** Makes `copy` byte-identical to `source`; returns the files it wrote or removed. */
export function syncPlatform(source = platformDir, copy = policyPlatformDir): string[] {
    const changed = platformCopyDifferences(source, copy);
    fs.mkdirSync(copy, { recursive: true });
    const sourceFiles = tsFiles(source);
    for (const file of tsFiles(copy)) if (!sourceFiles.includes(file)) fs.rmSync(path.join(copy, file));
    for (const file of sourceFiles) fs.copyFileSync(path.join(source, file), path.join(copy, file));
    return changed;
}
