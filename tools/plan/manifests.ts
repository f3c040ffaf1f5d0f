import * as fs from "fs";
import { loadAll, YAMLException } from "js-yaml";
import { UsageError } from "../cli/errors";
import { PlannedResource, plannedResource } from "../engine/resource";
import { parsePath, SECRET_PLACEHOLDER, UNKNOWN, UNKNOWN_PLACEHOLDER } from "../runtime/propertyValues";
import { PlanDocument, readPlanDocument } from "./document";

/** `apps/v1` + `Deployment` → `kubernetes:apps/v1:Deployment`; the core group is `core/v1`. */
export function kubernetesTypeOf(apiVersion: string, kind: string): string {
    const groupVersion = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
    return `kubernetes:${groupVersion}:${kind}`;
}

/** Reads multi-document Kubernetes YAML into resources with the types and URNs the engine would use. */
export function resourcesFromManifests(files: string[], project: string, stack: string): PlannedResource[] {
    const resources: PlannedResource[] = [];
    for (const file of files) {
        parseDocuments(file, fs.readFileSync(file, "utf8")).forEach((body, index) => {
            if (body === null || body === undefined) return; // an empty document between separators
            const { apiVersion, kind } = body as { apiVersion?: unknown; kind?: unknown };
            const metadata = (body.metadata ?? {}) as { name?: string; namespace?: string };
            if (typeof apiVersion !== "string" || typeof kind !== "string" || !metadata.name) {
                throw new UsageError(`${file}: document ${index + 1} is not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
            }
            if (kind === "List" && Array.isArray(body.items)) {
                throw new UsageError(`${file}: document ${index + 1} is a List; split it into one document per object`);
            }
            const type = kubernetesTypeOf(apiVersion, kind);
            const name = metadata.namespace ? `${metadata.namespace}/${metadata.name}` : metadata.name;
            resources.push(plannedResource(`urn:pulumi:${stack}::${project}::${type}::${name}`, type, name, body));
        });
    }
    return resources;
}

/**
 * The documents of a YAML stream. js-yaml rather than yaml: measured on 10,000 Deployments it parses
 * about ten times faster, as it builds plain values without a document tree. Both read YAML 1.2's core
 * schema, and both refuse duplicate keys.
 */
function parseDocuments(file: string, text: string): (Record<string, unknown> | null | undefined)[] {
    const documents: (Record<string, unknown> | null | undefined)[] = [];
    try {
        loadAll(text, body => documents.push(body as Record<string, unknown> | null | undefined), { filename: file });
    } catch (e) {
        if (!(e instanceof YAMLException)) throw e;
        // js-yaml parses the whole stream before handing out documents: place the broken one by the
        // document markers above the line its mark names.
        throw new UsageError(`${file}: document ${documentAt(text, e.mark.line)} is not valid YAML: ${e.reason} at line ${e.mark.line + 1}, column ${e.mark.column + 1}`);
    }
    return documents;
}

/** The 1-based number of the document holding 0-based `line`: a `---` opens a document, except one before any content. */
function documentAt(text: string, line: number): number {
    let number = 1;
    let content = false;
    for (const l of text.split("\n", line)) {
        if (/^---(\s|$)/.test(l)) {
            if (content) number++;
            content = true;
        } else if (!/^\s*(#.*)?$/.test(l) && !l.startsWith("%")) {
            content = true;
        }
    }
    return number;
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
            dependencies: r.dependencies,
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
