import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { ResourceValidationArgs, ResourceValidationPolicy, ReportViolation, validateResourceOfType } from "@pulumi/policy";
import { credentialShapeOf, isCredentialName, isLiteral, parseDockerEnv } from "../lib/credentials";
import { flagCredentialValue } from "../lib/flagged";
import { forEachWorkload, workloadOf } from "../lib/kubernetes";
import { forTypes, kubernetesTypes } from "../lib/validation";
import { commandLineSettings, decodeBase64, formatPath, mapSettings, Setting, workloadSettings } from "../lib/settings";
import { withMetadata } from "../lib/metadata";

/** Why a (name, value) pair is a plaintext credential, or undefined. Never quotes the value. */
export function plaintextCredentialReason(name: string, value: string, named = true): string | undefined {
    const shape = credentialShapeOf(value);
    if (shape) return `holds a value shaped like ${shape}`;
    // A reference (`${DB_PASSWORD}`), a mask or a documented sample key is not a credential, whatever its name.
    if (named && isCredentialName(name) && isLiteral(value)) return "is named like a credential and carries a literal value";
    return undefined;
}

/** Reports each setting that is a plaintext credential and flags its path so reports redact it. */
function reportSettings(
    settings: readonly Setting[],
    args: ResourceValidationArgs,
    reportViolation: ReportViolation,
    who: string,
    fix: string,
): void {
    const reported = new Set<string>();
    for (const setting of settings) {
        const reason = plaintextCredentialReason(setting.name, setting.value, setting.named);
        // One violation per place: a command-line word can match as a whole and as NAME=value inside,
        // a mounted file as a whole and line by line.
        if (!reason) continue;
        const place = formatPath(setting.path);
        if (reported.has(place)) continue;
        reported.add(place);
        flagCredentialValue(args.urn, setting.path);
        reportViolation(`${who}: ${setting.where} ${reason}. Fix: ${fix}`);
    }
}

const kubernetesFix =
    "use valueFrom.secretKeyRef, or Vault agent injection annotations, instead of a literal value (in env, args, command or annotations alike).";

export const noPlaintextCredentials: ResourceValidationPolicy = {
    name: "no-plaintext-credentials",
    description:
        "No credential travels as a plain value a process can read (env, command line, annotations, ConfigMap, Secret literal): secrets arrive as Vault-rendered files or secret references.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "critical", topics: ["secrets", "kubernetes", "docker"] }),
    validateResource: [
        validateResourceOfType(docker.Container, (container, args, reportViolation) => {
            const who = `Container "${container.name ?? args.name}"`;
            const envs = (container.envs ?? []).map((entry, i): Setting => {
                const { name, value } = parseDockerEnv(entry);
                return { name, value, where: `environment variable ${name}`, path: ["envs", i], named: true };
            });
            reportSettings(
                envs,
                args,
                reportViolation,
                who,
                "remove it from envs, have the Vault agent render it into the service's secrets directory and point the service at the file (<NAME>_FILE=/run/secrets/<file>).",
            );
            const commandLines = [
                ...commandLineSettings(container.command, ["command"], "command"),
                ...commandLineSettings(container.entrypoints, ["entrypoints"], "entrypoint"),
                ...mapSettings(Object.fromEntries((container.labels ?? []).map(l => [l.label, l.value])), ["labels"], "label"),
            ];
            reportSettings(
                commandLines,
                args,
                reportViolation,
                who,
                "pass no credential on the command line or in a label: have the Vault agent render it into the secrets directory and read it from the file.",
            );
        }),
        ...forEachWorkload((workload, args, reportViolation) => {
            reportSettings(workloadSettings(workload, args.props), args, reportViolation, `${workload.kind} "${args.name}"`, kubernetesFix);
        }),
        // Every other Kubernetes object's annotations (a Service's, an Ingress's, a ConfigMap's): anyone
        // who can read the object reads them, and a report would publish them.
        forTypes(kubernetesTypes, (args, reportViolation) => {
            if (workloadOf(args.type, args.props)) return; // judged above, with its pod template
            const annotations = ((args.props.metadata ?? {}) as { annotations?: unknown }).annotations;
            const kind = args.type.slice(args.type.lastIndexOf(":") + 1);
            reportSettings(
                mapSettings(annotations, ["metadata", "annotations"], "annotation", { embedded: true }),
                args,
                reportViolation,
                `${kind} "${args.name}"`,
                kubernetesFix,
            );
        }),
        validateResourceOfType(k8s.core.v1.ConfigMap, (configMap, args, reportViolation) => {
            // A ConfigMap reaches processes through envFrom, configMapKeyRef and volumes: it is plain config.
            reportSettings(
                mapSettings(configMap.data, ["data"], "data key", { embedded: true }),
                args,
                reportViolation,
                `ConfigMap "${args.name}"`,
                "move the credential into a Secret created from a Pulumi secret (or Vault injection) and reference it with secretKeyRef; a ConfigMap is readable by anything that can read config.",
            );
        }),
        validateResourceOfType(k8s.core.v1.Secret, (secret, args, reportViolation) => {
            // Policies cannot see whether a value was a Pulumi secret, so a Secret is judged by the
            // shape and name of what it holds; base64 in `data` is an encoding, not encryption.
            const settings = [
                ...mapSettings(secret.stringData, ["stringData"], "stringData key", { embedded: true }),
                ...mapSettings(secret.data, ["data"], "data key (base64-decoded)", { decode: decodeBase64, embedded: true }),
            ];
            reportSettings(
                settings,
                args,
                reportViolation,
                `Secret "${args.name}"`,
                "never write a credential into a manifest or plain config: create the Secret from a Pulumi secret (config.requireSecret / pulumi.secret) or have Vault or External Secrets render it, and rotate the exposed value.",
            );
        }),
    ],
};
