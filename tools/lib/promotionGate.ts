/** One entry of `pulumi stack history --json` (newest first), the fields the gate reads. */
export interface StackUpdate {
    kind?: string;
    result?: string;
    version?: number;
    environment?: Record<string, string>;
}

/**
 * Production promotes only a commit staging is already running: the last successful update of the
 * staging stack must have been made from `sha` (the CLI records the commit as `git.head`).
 * Returns undefined when the gate is open, else why it is shut.
 */
export function stagingGateProblem(history: StackUpdate[], sha: string): string | undefined {
    const last = history.find(u => u.kind === "update" && u.result === "succeeded");
    if (!last) return "staging has no successful update in its history";
    const head = last.environment?.["git.head"];
    if (!head) return `staging's last update (version ${last.version ?? "?"}) recorded no git commit`;
    if (head !== sha) return `staging's last successful update (version ${last.version ?? "?"}) ran ${head}, not ${sha}`;
    return undefined;
}
