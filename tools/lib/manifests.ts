import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { PlannedResource, plannedResource } from "./mockProgram";
import { PlanDocument, PLAN_SCHEMA_VERSION } from "./planDocument";
import { parsePath, SECRET_PLACEHOLDER, UNKNOWN, UNKNOWN_PLACEHOLDER } from "./propertyValues";
import { UsageError } from "./stackFiles";

/** `apps/v1` + `Deployment` → `kubernetes:apps/v1:Deployment`; the core group is `core/v1`. */
export function kubernetesTypeOf(apiVersion: string, kind: string): string {
    const groupVersion = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
    return `kubernetes:${groupVersion}:${kind}`;
}

/** A file a CLI was given to read: a usage error when it is missing or not a regular file. */
export function readInputFile(file: string, what: string): string {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch {
        throw new UsageError(`${what} ${file} does not exist`);
    }
    if (stat.isDirectory()) throw new UsageError(`${what} ${file} is a directory; give the files in it (e.g. ${path.join(file, "*.yaml")})`);
    if (!stat.isFile()) throw new UsageError(`${what} ${file} is not a regular file`);
    return fs.readFileSync(file, "utf8");
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
        const docs = parseAllDocuments(readInputFile(file, "Manifest file"));
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
        docs.forEach((doc, index) => {
            if (doc.errors.length > 0) {
                throw new UsageError(`${file}: document ${index + 1} is not valid YAML: ${doc.errors[0].message}`);
            }
            const body = doc.toJS() as unknown;
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

/** A plan written by `plan --json`, as it was written; a usage error for anything else. */
export function readPlanDocument(file: string): PlanDocument {
    let document: PlanDocument;
    try {
        document = JSON.parse(readInputFile(file, "Plan file")) as PlanDocument;
    } catch (e) {
        if ((e as Error).name === "UsageError") throw e;
        throw new UsageError(`${file} is not a plan JSON file: ${(e as Error).message}`);
    }
    if (document?.kind !== "trading-platform/plan" || document.schemaVersion !== PLAN_SCHEMA_VERSION) {
        throw new UsageError(`${file} is not a plan of schemaVersion ${PLAN_SCHEMA_VERSION} (found kind ${String(document?.kind)}, schemaVersion ${String(document?.schemaVersion)})`);
    }
    if (typeof document.stack !== "string" || document.stack === "") throw new UsageError(`${file} is not a valid plan: "stack" must be a non-empty string`);
    if (!Array.isArray(document.resources)) throw new UsageError(`${file} is not a valid plan: "resources" must be an array (found ${describeJson(document.resources)})`);
    document.resources.forEach((r, i) => {
        const problem =
            r === null || typeof r !== "object" ? "is not an object"
            : typeof r.urn !== "string" || typeof r.type !== "string" || typeof r.name !== "string" ? "lacks urn, type or name"
            : r.inputs === null || typeof r.inputs !== "object" || Array.isArray(r.inputs) ? "has no inputs object"
            : !isStringArray(r.secretPaths) ? "has no secretPaths array (a plan must say what it redacted)"
            : !isStringArray(r.unknownPaths) ? "has no unknownPaths array"
            : !isStringArray(r.redactedPaths) ? "has no redactedPaths array (a plan must say what it redacted)"
            : r.dependencies !== undefined && !isStringArray(r.dependencies) ? "has dependencies that are not a list of URNs"
            : undefined;
        if (problem) throw new UsageError(`${file} is not a valid plan: resources[${i}] ${problem}`);
    });
    return document;
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(v => typeof v === "string");
const describeJson = (value: unknown) => (value === undefined ? "nothing" : value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`);

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
