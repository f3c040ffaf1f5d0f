/** The stacks this program knows. A stack's name is its environment. */
export const environmentNames = ["staging", "production"] as const;
export type EnvironmentName = (typeof environmentNames)[number];

export function isEnvironmentName(stack: string): stack is EnvironmentName {
    return (environmentNames as readonly string[]).includes(stack);
}
