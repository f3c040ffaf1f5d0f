import * as path from "path";

/** The repository root: where Pulumi.yaml, the stack files and policy/ live. */
export const repoRoot = path.resolve(__dirname, "..", "..");

/** A file as reports name it: relative to the repository when inside it (as code scanning wants), else absolute. */
export function sourcePath(file: string): string {
    const relative = path.relative(repoRoot, path.resolve(file));
    return relative.startsWith("..") || path.isAbsolute(relative) ? path.resolve(file) : relative.split(path.sep).join("/");
}
