import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";

/**
 * Stand-ins for the providers, with the semantics of a first `pulumi preview` of an empty stack: a new
 * resource echoes its inputs and every computed output (ids, ARNs, digests, endpoints) stays unknown.
 * Invokes read the outside world, so each one the program uses has an offline answer here; any other
 * fails loudly instead of returning something made up.
 */
export const offlineMocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        return { id: undefined, state: args.inputs };
    },
    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        const answer = invokeAnswers[args.token];
        if (!answer) {
            throw new Error(`The offline plan has no answer for the invoke ${args.token}; add one to tools/runtime/offlineMocks.ts`);
        }
        return answer(args.inputs);
    },
};

/** A stable number from a name, so offline ids do not change between runs. */
export function stableNumber(text: string, digits = 7): number {
    const n = parseInt(createHash("sha256").update(text).digest("hex").slice(0, 12), 16);
    const floor = 10 ** (digits - 1);
    return floor + (n % (9 * floor));
}

const invokeAnswers: Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>> = {
    // GitHub teams: environments need numeric team ids for their reviewers.
    "github:index/getTeam:getTeam": inputs => {
        const slug = String(inputs.slug);
        const id = stableNumber(`team:${slug}`);
        return { id: String(id), nodeId: `T_offline${id}`, slug, name: slug, privacy: "closed", members: [], repositories: [] };
    },
};
