import { UsageError } from "../cli/errors";
import { parseYamlStream, readInputFile } from "../cli/inputFiles";
import { PlannedResource, plannedResource } from "../engine/resource";
import { sourcePath } from "../runtime/paths";
import { parsePath, SECRET_PLACEHOLDER, UNKNOWN, UNKNOWN_PLACEHOLDER } from "../runtime/propertyValues";
import { PlanDocument, readPlanDocument } from "./document";

/** `apps/v1` + `Deployment` → `kubernetes:apps/v1:Deployment`; the core group is `core/v1`. */
export function kubernetesTypeOf(apiVersion: string, kind: string): string {
    const groupVersion = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
    return `kubernetes:${groupVersion}:${kind}`;
}

/** Kinds are PascalCase identifiers (`Deployment`); anything else is a typo the API server would refuse. */
const kindPattern = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Reads multi-document Kubernetes YAML into resources with the types and URNs the engine would use.
 * A `List` (or `PodList`, `DeploymentList`...) contributes its items. A file with no object is refused:
 * an empty file is what a failed `helm template > file` leaves behind.
 */
export function resourcesFromManifests(files: string[], project: string, stack: string): PlannedResource[] {
    const resources: PlannedResource[] = [];
    for (const file of files) {
        const { documents: bodies, lines } = parseYamlStream(readInputFile(file, "Manifest file"), file);
        const before = resources.length;
        const origin = sourcePath(file);
        const add = (body: Record<string, unknown>, where: string, line: number) => {
            const { apiVersion, kind } = body as { apiVersion?: unknown; kind?: unknown };
            const metadata = (body.metadata ?? {}) as { name?: unknown; namespace?: unknown };
            if (typeof apiVersion !== "string" || typeof kind !== "string") {
                throw new UsageError(`${file}: ${where} is not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
            }
            if (!kindPattern.test(kind)) {
                throw new UsageError(
                    `${file}: ${where} has kind "${kind}", which is not a valid Kubernetes kind (kinds are PascalCase, e.g. Deployment)`,
                );
            }
            if (/List$/.test(kind) && Array.isArray(body.items)) {
                (body.items as unknown[]).forEach((item, i) => {
                    if (item === null || typeof item !== "object" || Array.isArray(item)) {
                        throw new UsageError(`${file}: ${where}, item ${i + 1} is not a Kubernetes object`);
                    }
                    add(item as Record<string, unknown>, `${where}, item ${i + 1}`, line);
                });
                return;
            }
            if (typeof metadata.name !== "string" || metadata.name === "") {
                throw new UsageError(`${file}: ${where} is not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
            }
            const type = kubernetesTypeOf(apiVersion, kind);
            const name =
                typeof metadata.namespace === "string" && metadata.namespace ? `${metadata.namespace}/${metadata.name}` : metadata.name;
            resources.push(
                plannedResource(`urn:pulumi:${stack}::${project}::${type}::${name}`, type, name, body, { origin: { file: origin, line } }),
            );
        };
        bodies.forEach((body: unknown, index) => {
            if (body === null || body === undefined) return; // an empty document between separators
            if (typeof body !== "object" || Array.isArray(body)) {
                throw new UsageError(
                    `${file}: document ${index + 1} is not a Kubernetes object (a mapping with apiVersion, kind and metadata.name)`,
                );
            }
            add(body as Record<string, unknown>, `document ${index + 1}`, lines[index] ?? 1);
        });
        if (resources.length === before) {
            throw new UsageError(`${file} holds no Kubernetes object (an empty file, e.g. from a failed \`helm template > ${file}\`?)`);
        }
    }
    return resources;
}

/**
 * Reads a plan written by `plan --json` back into resources. What the plan redacted cannot be known
 * any more: secret and unknown paths become unknowns, so a policy that needs them reports that it
 * can't run, as it would during a preview.
 */
export function resourcesFromPlan(file: string): { document: PlanDocument; resources: PlannedResource[] } {
    const document = readPlanDocument(file);
    const resources = document.resources.map(r => {
        const inputs = restoreUnknowns(structuredClone(r.inputs)) as Record<string, unknown>;
        for (const p of r.secretPaths) setPath(inputs, p, UNKNOWN);
        return plannedResource(r.urn, r.type, r.name, inputs, {
            custom: r.custom,
            parent: r.parent,
            provider: r.provider,
            secretPaths: r.secretPaths,
            unknownPaths: r.unknownPaths,
            dependencies: r.dependencies ?? [],
            origin: r.origin,
        });
    });
    return { document, resources };
}

function restoreUnknowns(value: unknown): unknown {
    if (value === UNKNOWN_PLACEHOLDER || value === SECRET_PLACEHOLDER) return UNKNOWN;
    if (Array.isArray(value)) return value.map(restoreUnknowns);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreUnknowns(v)]));
    }
    return value;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
    const parts = parsePath(path);
    let node: unknown = target;
    for (const part of parts.slice(0, -1)) {
        node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[part] : undefined;
    }
    if (node !== null && typeof node === "object" && parts.length > 0) {
        (node as Record<string | number, unknown>)[parts[parts.length - 1]] = value;
    }
}
