import * as jsYaml from "js-yaml";
import { CORE_SCHEMA, loadAll, YAMLException } from "js-yaml";
import { UsageError } from "../cli/errors";
import { readInputFile } from "../cli/inputFiles";
import { PlannedResource, plannedResource } from "../engine/resource";
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
        const bodies = parseDocuments(file, readInputFile(file, "Manifest file"));
        const before = resources.length;
        const add = (body: Record<string, unknown>, where: string) => {
            const { apiVersion, kind } = body as { apiVersion?: unknown; kind?: unknown };
            const metadata = (body.metadata ?? {}) as { name?: unknown; namespace?: unknown };
            if (typeof apiVersion !== "string" || typeof kind !== "string") {
                throw new UsageError(`${file}: ${where} is not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
            }
            if (!kindPattern.test(kind)) {
                throw new UsageError(`${file}: ${where} has kind "${kind}", which is not a valid Kubernetes kind (kinds are PascalCase, e.g. Deployment)`);
            }
            if (/List$/.test(kind) && Array.isArray(body.items)) {
                (body.items as unknown[]).forEach((item, i) => {
                    if (item === null || typeof item !== "object" || Array.isArray(item)) throw new UsageError(`${file}: ${where}, item ${i + 1} is not a Kubernetes object`);
                    add(item as Record<string, unknown>, `${where}, item ${i + 1}`);
                });
                return;
            }
            if (typeof metadata.name !== "string" || metadata.name === "") {
                throw new UsageError(`${file}: ${where} is not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
            }
            const type = kubernetesTypeOf(apiVersion, kind);
            const name = typeof metadata.namespace === "string" && metadata.namespace ? `${metadata.namespace}/${metadata.name}` : metadata.name;
            resources.push(plannedResource(`urn:pulumi:${stack}::${project}::${type}::${name}`, type, name, body));
        };
        bodies.forEach((body: unknown, index) => {
            if (body === null || body === undefined) return; // an empty document between separators
            if (typeof body !== "object" || Array.isArray(body)) throw new UsageError(`${file}: document ${index + 1} is not a Kubernetes object (a mapping with apiVersion, kind and metadata.name)`);
            add(body as Record<string, unknown>, `document ${index + 1}`);
        });
        if (resources.length === before) {
            throw new UsageError(`${file} holds no Kubernetes object (an empty file, e.g. from a failed \`helm template > ${file}\`?)`);
        }
    }
    return resources;
}

/**
 * YAML 1.2's core schema and merge keys (`<<`), as Kubernetes' YAML reader takes manifests: a date-like
 * scalar stays a string (js-yaml's default schema would make it a Date, and try every scalar as one).
 */
// (js-yaml exports its built-in types as `types`; its typings leave the object out.)
const manifestSchema = CORE_SCHEMA.extend({ implicit: [(jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge] });

/**
 * The documents of a YAML stream. js-yaml rather than yaml: measured on 10,000 Deployments it parses
 * about ten times faster, as it builds plain values without a document tree. Both read YAML 1.2's core
 * schema, and both refuse duplicate keys.
 */
function parseDocuments(file: string, text: string): (Record<string, unknown> | null | undefined)[] {
    const documents: (Record<string, unknown> | null | undefined)[] = [];
    try {
        loadAll(text, body => documents.push(body as Record<string, unknown> | null | undefined), { filename: file, schema: manifestSchema });
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
            dependencies: r.dependencies ?? [],
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
