import { z } from "zod";
import { dnsLabel } from "./primitives";

export const registrySchema = z
    .strictObject({
        server: z
            .string()
            .regex(/^[a-z0-9.-]+(:\d+)?$/, { error: "a registry host such as ghcr.io" })
            .default("ghcr.io")
            .meta({ title: "host[:port]", description: "Registry host; GHCR for every image of the platform." }),
        org: dnsLabel.describe("GitHub organisation that owns the packages."),
        repositoryPrefix: z
            .string()
            .regex(/^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/, { error: "a lowercase repository path such as synaptictrading" })
            .optional()
            .meta({
                title: "path",
                description: "Path under the organisation: images are `<server>/<org>/<repositoryPrefix>/<component>`.",
            }),
        username: z
            .string()
            .min(1)
            .describe(
                "Account the hosts and the cluster pull with (and CI pushes with); its tokens are the secrets `ghcrToken` and `ghcrPushToken`.",
            ),
    })
    .describe("Where every image of the platform lives.");
export type RegistryConfig = z.infer<typeof registrySchema>;

/** `ghcr.io/<org>[/<prefix>]`: every image of the platform lives below it. */
export function repositoryBase(registry: RegistryConfig): string {
    return [registry.server, registry.org, registry.repositoryPrefix].filter(Boolean).join("/");
}
