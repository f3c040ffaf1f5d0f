import { z } from "zod";
import { dnsLabel } from "./primitives";

export const registrySchema = z.strictObject({
    /** Registry host; GHCR for every image of the platform. */
    server: z
        .string()
        .regex(/^[a-z0-9.-]+(:\d+)?$/, { error: "a registry host such as ghcr.io" })
        .default("ghcr.io"),
    /** GitHub organisation that owns the packages. */
    org: dnsLabel,
    /** Path under the organisation, so images are `<server>/<org>/<repositoryPrefix>/<component>`. */
    repositoryPrefix: z
        .string()
        .regex(/^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/, { error: "a lowercase repository path such as synaptictrading" })
        .optional(),
    /** Account the hosts pull (and CI pushes) with; its token is the secret `ghcrToken`. */
    username: z.string().min(1),
});
export type RegistryConfig = z.infer<typeof registrySchema>;

/** `ghcr.io/<org>[/<prefix>]`: every image of the platform lives below it. */
export function repositoryBase(registry: RegistryConfig): string {
    return [registry.server, registry.org, registry.repositoryPrefix].filter(Boolean).join("/");
}
