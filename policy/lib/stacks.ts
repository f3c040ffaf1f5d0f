import { productionStacks, stagingStacks } from "../platform";

/** The stack a URN belongs to: `urn:pulumi:<stack>::<project>::...`. Every URN the engine sends names it. */
export function stackOfUrn(urn: string): string {
    // Every policy asks about the resource being evaluated: the last answer is the next one's too.
    if (urn === lastUrn) return lastStack;
    const match = /^urn:pulumi:([^:]+)::/.exec(urn);
    lastUrn = urn;
    lastStack = match ? match[1] : "";
    return lastStack;
}
let lastUrn = "";
let lastStack = "";

/** The environment classes the segregation rules speak of. */
export type EnvironmentClass = "staging" | "production" | "other";

export interface EnvironmentStacks {
    stagingStacks: string[];
    productionStacks: string[];
}

/** JSON-schema properties (with defaults) every policy that tells staging from production accepts. */
export const environmentStacksSchema = {
    stagingStacks: {
        type: "array",
        items: { type: "string" },
        default: [...stagingStacks],
        description: "Stacks that may hold paper/sandbox credentials only.",
    },
    productionStacks: {
        type: "array",
        items: { type: "string" },
        default: [...productionStacks],
        description: "Stacks that trade live and may hold no paper credential.",
    },
} as const;

export function environmentOf(urn: string, config: EnvironmentStacks): EnvironmentClass {
    const stack = stackOfUrn(urn);
    if (config.stagingStacks.includes(stack)) return "staging";
    if (config.productionStacks.includes(stack)) return "production";
    return "other";
}
