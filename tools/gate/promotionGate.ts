import { describeJsonShape } from "../runtime/jsonText";

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

/**
 * The images production would run that neither staging runs nor production already runs: a digest
 * may reach production only after staging ran it. Production's own images stay allowed, so the
 * active colour of a blue-green service, promoted in an earlier release, never blocks the next step.
 */
export function unprovenImages(candidate: string[], stagingRuns: string[], productionRuns: string[]): string[] {
    const proven = new Set([...stagingRuns, ...productionRuns]);
    return candidate.filter(image => !proven.has(image));
}

/**
 * The `deployedImages` output of a stack, from its outputs: `pulumi stack output --json`, or the
 * `outputs` of a plan written by `npm run plan -- --json`. A stack that was never brought up has no
 * outputs: `{}` reads as no images. Throws with what was found when the list is not there.
 */
export function deployedImagesOf(outputs: unknown, source: string): string[] {
    if (outputs === null || typeof outputs !== "object" || Array.isArray(outputs)) {
        throw new Error(`${source}: expected stack outputs (a JSON object); found ${describeJsonShape(outputs)}`);
    }
    const images = (outputs as Record<string, unknown>).deployedImages;
    if (images === undefined && Object.keys(outputs).length === 0) return [];
    if (!Array.isArray(images) || !images.every(i => typeof i === "string")) {
        // Described, never quoted: another output of the file may sit where the list should be.
        const found =
            images === undefined
                ? "no deployedImages"
                : Array.isArray(images)
                  ? `a list with ${images.filter(i => typeof i !== "string").length} item(s) that are not strings`
                  : describeJsonShape(images);
        throw new Error(`${source}: expected deployedImages, a list of image references; found ${found}`);
    }
    return images;
}
