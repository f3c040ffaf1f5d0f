import * as pulumi from "@pulumi/pulumi";

/**
 * `opts` plus an alias from each earlier type token of a component, so a stack that recorded the old
 * token keeps its resources (and, through the parent, their children) instead of replacing them.
 */
export function withAliases(
    opts: pulumi.ComponentResourceOptions | undefined,
    ...previousTypes: string[]
): pulumi.ComponentResourceOptions {
    return { ...opts, aliases: [...previousTypes.map(type => ({ type })), ...(opts?.aliases ?? [])] };
}
