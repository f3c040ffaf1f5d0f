// What the release workflow's record job writes to main: the positions the production stack reports
// (its `promotionState` output after the run), applied to main's Pulumi.production.yaml and nothing
// else, byte for byte. A service is recorded only where main still stages the release the run promoted
// (the same active colour and images as the release's stack file): when main has moved on to another
// release, its file is left as it is and the pull request says so.
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { blueGreenPositionSchema } from "../../stacks/config/deployments";
import { UsageError } from "../cli/errors";
import { Positions } from "./positionPlans";
import { withPositions } from "./stackState";

export interface RecordedPositions {
    /** Main's stack file with the positions applied. */
    text: string;
    /** One line per service: what the pull request records, or why it leaves the service alone. */
    notes: string[];
    changed: string[];
}

interface BlueGreenSection {
    activeColour?: string;
    images?: Record<string, string>;
    weight?: number;
    finalize?: boolean;
}

const blueGreenOf = (text: string, project: string, file: string): Record<string, BlueGreenSection> => {
    let document: { config?: Record<string, { services?: Record<string, { blueGreen?: BlueGreenSection }> }> };
    try {
        document = (parseYaml(text) ?? {}) as typeof document;
    } catch (e) {
        throw new UsageError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
    const services = document.config?.[`${project}:deployments`]?.services ?? {};
    return Object.fromEntries(Object.entries(services).flatMap(([name, s]) => (s?.blueGreen ? [[name, s.blueGreen]] : [])));
};

/** The stack's `promotionState` output (`pulumi stack output promotionState --json`), checked. */
export function parsePositions(json: string, file: string): Record<string, z.infer<typeof blueGreenPositionSchema>> {
    let value: unknown;
    try {
        value = JSON.parse(json);
    } catch (e) {
        throw new UsageError(
            `${file}: expected the JSON of the promotionState output, found text that is not JSON (${(e as Error).message})`,
        );
    }
    const parsed = z.record(z.string(), blueGreenPositionSchema).safeParse(value);
    if (!parsed.success) {
        throw new UsageError(
            `${file}: expected promotionState, each service's { ${Object.keys(blueGreenPositionSchema.shape).join(", ")} }; found ${JSON.stringify(value).slice(0, 200)}`,
        );
    }
    return parsed.data;
}

export function recordPositions(options: {
    project: string;
    positionsJson: string;
    positionsFile: string;
    releaseText: string;
    releaseFile: string;
    mainText: string;
    mainFile: string;
}): RecordedPositions {
    const deployed = parsePositions(options.positionsJson, options.positionsFile);
    const release = blueGreenOf(options.releaseText, options.project, options.releaseFile);
    const main = blueGreenOf(options.mainText, options.project, options.mainFile);
    const apply: Positions = {};
    const notes: string[] = [];
    const changed: string[] = [];
    for (const [service, p] of Object.entries(deployed)) {
        const onMain = main[service];
        const promoted = release[service];
        const position = `weight ${p.weight}${p.finalize ? ", finalized" : ""}`;
        if (!onMain) {
            notes.push(`${service}: not a blue-green service in main's ${options.mainFile}; left as it is (deployed: ${position})`);
            continue;
        }
        if (onMain.activeColour !== p.activeColour || JSON.stringify(onMain.images ?? {}) !== JSON.stringify(promoted?.images ?? {})) {
            notes.push(
                `${service}: main stages another release (active colour ${onMain.activeColour}, images differ from the release this run promoted); left as it is (deployed: ${position})`,
            );
            continue;
        }
        apply[service] = { weight: p.weight, finalize: p.finalize };
        if (onMain.weight !== p.weight || (onMain.finalize ?? false) !== p.finalize) {
            changed.push(service);
            notes.push(`${service}: ${position} (main said weight ${onMain.weight}${onMain.finalize ? ", finalized" : ""})`);
        } else {
            notes.push(`${service}: ${position}, as main already says`);
        }
    }
    return { text: withPositions(options.mainText, options.project, apply).text, notes, changed };
}
