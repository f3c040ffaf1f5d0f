// Where the stack's blue-green services stand, as both stack drivers read it: from the deployments
// config (the rehearsal's stack file, or a live stack without the promotionState output) and narrowed
// to the services a run moves.
import * as fs from "fs";
import { isMap, isScalar, parseDocument, Scalar } from "yaml";
import { BlueGreenPosition } from "../../platform";
import { blueGreenPositions, deploymentsSchema } from "../../stacks/config/deployments";
import { UsageError } from "../cli/errors";
import { Positions } from "./positionPlans";
import { ServicePosition } from "./types";

/** The blue-green positions a deployments config value declares; an invalid one is a usage error pointing at the plan. */
export function positionsFromDeployments(stack: string, key: string, value: unknown): Record<string, BlueGreenPosition> {
    const parsed = deploymentsSchema.safeParse(value);
    if (!parsed.success) {
        throw new UsageError(`${stack}: ${key} is not a valid deployments section; run npm run plan -- --stack ${stack} for the details`);
    }
    return blueGreenPositions(parsed.data);
}

/** The services a run moves: those named, or every blue-green one; a named service that is not blue-green is a usage error. */
export function selectServices(stack: string, positions: Record<string, BlueGreenPosition>, services: string[]): ServicePosition[] {
    const unknown = services.filter(s => !Object.hasOwn(positions, s));
    if (unknown.length) {
        throw new UsageError(
            `--services: ${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not a blue-green service of ${stack} (blue-green there: ${Object.keys(positions).join(", ") || "none"})`,
        );
    }
    const chosen = services.length ? services : Object.keys(positions);
    return chosen.map(service => ({ service, ...positions[service] }));
}

/**
 * Sets each service's weight and finalize in a stack file and changes nothing else, byte for byte: the
 * yaml library finds each value's place in the text and only those characters change (re-serialising
 * the document would re-space every flow list). `finalize` is added after `weight` where it becomes
 * true. A service the file does not declare as blue-green is skipped and returned, for the caller to say so.
 */
export function writePositions(file: string, projectName: string, positions: Positions): string[] {
    const text = fs.readFileSync(file, "utf8");
    const edited = withPositions(text, projectName, positions);
    if (edited.text !== text) fs.writeFileSync(file, edited.text);
    return edited.skipped;
}

/** The stack file's text with the positions set (see writePositions). */
export function withPositions(text: string, projectName: string, positions: Positions): { text: string; skipped: string[] } {
    const document = parseDocument(text);
    const edits: { from: number; to: number; text: string }[] = [];
    const skipped: string[] = [];
    for (const [service, p] of Object.entries(positions)) {
        const blueGreen = document.getIn(["config", `${projectName}:deployments`, "services", service, "blueGreen"], true);
        if (!isMap(blueGreen)) {
            skipped.push(service);
            continue;
        }
        const weight = blueGreen.items.find(pair => isScalar(pair.key) && pair.key.value === "weight");
        if (!weight || !isScalar(weight.value) || !weight.value.range) {
            throw new Error(`${file(projectName)}: ${service}.blueGreen.weight is not a plain value`);
        }
        if (weight.value.value !== p.weight) edits.push({ from: weight.value.range[0], to: weight.value.range[1], text: String(p.weight) });
        const finalize = blueGreen.items.find(pair => isScalar(pair.key) && pair.key.value === "finalize");
        if (finalize && isScalar(finalize.value) && finalize.value.range) {
            if (finalize.value.value !== p.finalize) {
                edits.push({ from: finalize.value.range[0], to: finalize.value.range[1], text: String(p.finalize) });
            }
        } else if (p.finalize) {
            const key = weight.key as Scalar;
            const at = weight.value.range[1];
            const column =
                (key.range as [number, number, number])[0] - text.lastIndexOf("\n", (key.range as [number, number, number])[0]) - 1;
            edits.push({ from: at, to: at, text: blueGreen.flow ? ", finalize: true" : `\n${" ".repeat(column)}finalize: true` });
        }
    }
    let out = text;
    for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
    return { text: out, skipped };
}

const file = (project: string) => `the stack file (${project})`;
