import { boundsProblem } from "../cli/inputFiles";
import { PlanDiff, PlanDocument, PlanResource, PropertyChange } from "./document";
import { parsePath, SECRET_PLACEHOLDER } from "../runtime/propertyValues";

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string holding a JSON object or array (e.g. an ALB action annotation), parsed; else undefined. */
function embeddedJson(value: unknown): object | undefined {
    if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return undefined;
    try {
        const parsed = JSON.parse(value) as unknown;
        // JSON held in a string escapes the file's own bounds: nested past them, it is compared as the string it is.
        return parsed !== null && typeof parsed === "object" && !boundsProblem(parsed, value.length) ? parsed : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Every leaf of a value with its path; an empty object or array counts as a leaf. JSON held in a
 * string is opened up too (`annotations["x"]#forwardConfig.targetGroups[0].weight`), so a changed
 * weight shows as one number, not as two long strings.
 */
function leaves(value: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> {
    const json = embeddedJson(value);
    if (json) {
        const inner = leaves(json);
        for (const [innerPath, leaf] of inner) out.set(`${path}#${innerPath}`, leaf);
        return out;
    }
    if (Array.isArray(value) && value.length > 0) {
        value.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
    } else if (value !== null && typeof value === "object" && Object.keys(value).length > 0) {
        for (const [key, child] of Object.entries(value)) {
            leaves(child, identifier.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`, out);
        }
    } else {
        out.set(path, value);
    }
    return out;
}

/** A path as comparable words: `data["app.key"]`, `data.app.key` and `data.app.key#x` all start `data app key`. */
const words = (path: string) =>
    parsePath(path.split("#")[0]).flatMap(part => (typeof part === "number" ? [String(part)] : part.split(".")));

/**
 * Whether a value at `path` must not show: it is at or under a path either plan marks secret or
 * redacted. A base plan made before a value became a secret (or before a policy flagged it) holds the
 * plain value; the diff must not publish it through the back door.
 */
function hiddenBy(hidden: string[][]): (path: string) => boolean {
    return path => {
        const at = words(path);
        return hidden.some(h => h.length <= at.length && h.every((word, i) => word === at[i]));
    };
}

function propertyChanges(before: PlanResource, after: PlanResource): PropertyChange[] {
    const a = leaves(before.inputs);
    const b = leaves(after.inputs);
    const hidden = hiddenBy(
        [...before.secretPaths, ...(before.redactedPaths ?? []), ...after.secretPaths, ...(after.redactedPaths ?? [])].map(words),
    );
    const shown = (path: string, value: unknown) => (value !== undefined && hidden(path) ? SECRET_PLACEHOLDER : value);
    const changes: PropertyChange[] = [];
    for (const path of new Set([...a.keys(), ...b.keys()])) {
        if (JSON.stringify(a.get(path)) !== JSON.stringify(b.get(path))) {
            changes.push({ path, before: shown(path, a.get(path)), after: shown(path, b.get(path)) });
        }
    }
    return changes.sort((x, y) => x.path.localeCompare(y.path));
}

/**
 * What a plan changes against an earlier one (typically the base branch's): resources added,
 * removed, and changed with their changed properties. Both plans are already redacted, and a value at
 * a path either of them marks secret or redacted shows as "[secret]" on both sides.
 */
export function diffPlans(base: PlanDocument, current: PlanDocument): PlanDiff {
    const before = new Map(base.resources.map(r => [r.urn, r]));
    const after = new Map(current.resources.map(r => [r.urn, r]));
    const diff: PlanDiff = {
        base: { stack: base.stack, resources: base.resources.length },
        added: [],
        removed: [],
        changed: [],
        unchanged: 0,
    };
    for (const [urn, resource] of after) {
        const previous = before.get(urn);
        if (!previous) {
            diff.added.push({ urn, type: resource.type });
            continue;
        }
        const properties = propertyChanges(previous, resource);
        if (properties.length > 0) diff.changed.push({ urn, type: resource.type, properties });
        else diff.unchanged++;
    }
    for (const [urn, resource] of before) {
        if (!after.has(urn)) diff.removed.push({ urn, type: resource.type });
    }
    return diff;
}
