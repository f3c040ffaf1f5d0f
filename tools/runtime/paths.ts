import * as path from "path";

/** The repository root: where Pulumi.yaml, the stack files and policy/ live. */
export const repoRoot = path.resolve(__dirname, "..", "..");
