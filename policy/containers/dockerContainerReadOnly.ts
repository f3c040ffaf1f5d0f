import * as docker from "@pulumi/docker";
import { remediateResourceOfType, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { withMetadata } from "../lib/metadata";

export const dockerContainerReadOnly: ResourceValidationPolicy = {
    name: "docker-container-read-only",
    description: "Docker containers run with a read-only root filesystem.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "medium", topics: ["container-hardening", "docker"] }),
    validateResource: validateResourceOfType(docker.Container, (container, args, reportViolation) => {
        if (container.readOnly !== true) {
            reportViolation(
                `Container "${container.name ?? args.name}" has readOnly ${container.readOnly === undefined ? "unset" : String(container.readOnly)}, ` +
                    "so a compromised process can rewrite its own binaries. " +
                    'Fix: set readOnly: true and give scratch paths a tmpfs (tmpfs: {"/tmp": "rw,noexec,nosuid,size=64m"}).',
            );
        }
    }),
    // At the "remediate" level the engine sets the flag instead of failing the update.
    remediateResource: remediateResourceOfType(docker.Container, container => {
        if (container.readOnly === true) return undefined;
        return { ...container, readOnly: true };
    }),
};
