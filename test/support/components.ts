import { strict as assert } from "assert";
import { PlannedResource } from "../../tools/engine/resource";
import { runProgram } from "../../tools/runtime/program";

/** Declares what `program` declares under the mock runtime, for the given stack. */
export async function declareIn(
    stack: string,
    program: () => void,
    config: Record<string, string> = {},
    secretKeys: string[] = [],
): Promise<PlannedResource[]> {
    const run = await runProgram({ project: "trading-platform", stack, config, secretKeys, program });
    if (run.error) throw run.error;
    return run.resources;
}

export const ofType = (rs: PlannedResource[], type: string) => rs.filter(r => r.type === type);

export function one(rs: PlannedResource[], type: string): PlannedResource {
    const found = ofType(rs, type);
    assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
    return found[0];
}
