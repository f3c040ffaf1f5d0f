// The stacks this program declares and what each one is. The program validates its config against these
// and the policy pack's defaults come from them (policy/platform/ is a byte-identical copy, written by
// `npm run sync-platform`, because the pack is published on its own).

/** The stacks this program knows. A stack's name is its environment. */
export const environmentNames = ["staging", "production"] as const;
export type EnvironmentName = (typeof environmentNames)[number];

export interface EnvironmentRole {
    /** Trades live money: the stricter gates, windows and digest pinning apply. */
    production: boolean;
    /** `paper` trades against the broker's sandbox; `live` sends real orders. */
    tradingMode: "paper" | "live";
    /** Every namespace the stack owns (Docker host, Kubernetes) ends in this, so staging can never be pointed at production's. */
    namespaceSuffix: string;
}

export const environments: Readonly<Record<EnvironmentName, EnvironmentRole>> = {
    staging: { production: false, tradingMode: "paper", namespaceSuffix: "-staging" },
    production: { production: true, tradingMode: "live", namespaceSuffix: "-prod" },
};

export function isEnvironmentName(stack: string): stack is EnvironmentName {
    return (environmentNames as readonly string[]).includes(stack);
}

/** Stacks that may hold paper/sandbox credentials only. */
export const stagingStacks: readonly EnvironmentName[] = environmentNames.filter(name => !environments[name].production);

/** Stacks that trade live and may hold no paper credential. */
export const productionStacks: readonly EnvironmentName[] = environmentNames.filter(name => environments[name].production);
