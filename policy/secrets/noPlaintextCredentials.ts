import * as docker from "@pulumi/docker";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { credentialShapeOf, isCredentialName, parseDockerEnv } from "../lib/credentials";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";

/** Why a (name, value) pair is a plaintext credential, or undefined. Never quotes the value. */
export function plaintextCredentialReason(name: string, value: string): string | undefined {
    const shape = credentialShapeOf(value);
    if (shape) return `holds a value shaped like ${shape}`;
    if (value !== "" && isCredentialName(name)) return "is named like a credential and carries a literal value";
    return undefined;
}

export const noPlaintextCredentials: ResourceValidationPolicy = {
    name: "no-plaintext-credentials",
    description: "No credential travels as a plain environment variable: secrets arrive as Vault-rendered files or secret references.",
    enforcementLevel: "mandatory",
    validateResource: [
        validateResourceOfType(docker.Container, (container, args, reportViolation) => {
            for (const entry of container.envs ?? []) {
                const { name, value } = parseDockerEnv(entry);
                const reason = plaintextCredentialReason(name, value);
                if (reason) {
                    reportViolation(
                        `Container "${container.name ?? args.name}": environment variable ${name} ${reason}. ` +
                            `Fix: remove it from envs, have the Vault agent render it into the service's secrets directory ` +
                            `and point the service at the file (${name}_FILE=/run/secrets/<file>).`,
                    );
                }
            }
        }),
        ...forEachWorkload((workload, args, reportViolation) => {
            for (const ref of containersOf(workload)) {
                for (const env of ref.container.env ?? []) {
                    if (typeof env?.value !== "string" || !env.name) continue;
                    const reason = plaintextCredentialReason(env.name, env.value);
                    if (reason) {
                        reportViolation(
                            `${workload.kind} "${args.name}": ${describeContainer(ref)} env ${env.name} ${reason}. ` +
                                "Fix: use valueFrom.secretKeyRef, or Vault agent injection annotations, instead of a literal value.",
                        );
                    }
                }
            }
        }),
    ],
};
