// Where each planned resource came from in the stack file: the config key it was declared from
// (stacks/configSource.ts tags components, children inherit through the parent chain) and that key's
// line, read from the yaml library's source ranges. Reports and SARIF point reviewers at that line.
import { isMap, isScalar, isSeq, Node as YamlNode, Pair } from "yaml";
import { YamlInput } from "../cli/inputFiles";
import { PlannedResource } from "../engine/resource";
import type { ProgramRun } from "../runtime/program";
import { sourcePath } from "../runtime/paths";

/** The pair under `node` whose key is one of `names` (a map), or the item at that index (a sequence). */
function child(node: unknown, names: string[]): { key?: YamlNode; value: unknown } | undefined {
    if (isMap(node)) {
        const pair = (node.items as Pair[]).find(p => isScalar(p.key) && names.includes(String(p.key.value)));
        return pair ? { key: pair.key as YamlNode, value: pair.value } : undefined;
    }
    if (isSeq(node) && names.length === 1 && /^\d+$/.test(names[0])) {
        const item = node.items[Number(names[0])];
        return item === undefined ? undefined : { key: item as YamlNode, value: item };
    }
    return undefined;
}

/** Finds config keys' lines in one parsed stack file. */
export class StackFileLines {
    constructor(
        private readonly yaml: YamlInput,
        private readonly project: string,
    ) {}

    private lineAt(node: YamlNode | undefined): number {
        return node?.range ? this.yaml.lines.linePos(node.range[0]).line : 1;
    }

    /** The line of the `config:` key (the stack file as a whole), or 1. */
    configLine(): number {
        return this.lineAt(child(this.yaml.document.contents, ["config"])?.key);
    }

    /**
     * The line of the deepest key of `path` (a key path under the project's namespace, e.g.
     * `deployments.services.api`) the file has: a key left to its default points at its parent.
     */
    lineOf(path: string): number {
        const [section, ...rest] = path.split(".");
        let found = child(child(this.yaml.document.contents, ["config"])?.value, [`${this.project}:${section}`, section]);
        if (!found) return this.configLine();
        let line = this.lineAt(found.key);
        for (const segment of rest) {
            found = child(found.value, [segment]);
            if (!found) break;
            line = this.lineAt(found.key);
        }
        return line;
    }

    /** The keys of the map at `path`, or none. */
    entriesAt(path: string): string[] {
        const [section, ...rest] = path.split(".");
        let node = child(child(this.yaml.document.contents, ["config"])?.value, [`${this.project}:${section}`, section])?.value;
        for (const segment of rest) node = child(node, [segment])?.value;
        return isMap(node) ? (node.items as Pair[]).flatMap(p => (isScalar(p.key) ? [String(p.key.value)] : [])) : [];
    }
}

/** `key` refined to the entry a child is named after (`dockerHost.services.rest-adapter` for `synaptic-prod-rest-adapter`). */
function refine(lines: StackFileLines, tag: { key: string; entries?: string[] }, name: string): string {
    let best: { path: string; length: number } | undefined;
    for (const map of tag.entries ?? []) {
        for (const entry of lines.entriesAt(`${tag.key}.${map}`)) {
            if ((name === entry || name.endsWith(`-${entry}`)) && entry.length > (best?.length ?? 0)) {
                best = { path: `${tag.key}.${map}.${entry}`, length: entry.length };
            }
        }
    }
    return best?.path ?? tag.key;
}

/**
 * Sets each resource's origin from the program's config tags: the nearest tagged resource up its
 * parent chain gives the key (refined by the entry its name carries), the stack file gives the line.
 * A resource nothing tags (the root stack, default providers) points at the `config:` line.
 */
export function setConfigOrigins(
    resources: PlannedResource[],
    configTags: ProgramRun["configTags"],
    source: { file: string; yaml: YamlInput },
    project: string,
): void {
    const lines = new StackFileLines(source.yaml, project);
    const file = sourcePath(source.file);
    const byUrn = new Map(resources.map(r => [r.urn, r]));
    for (const resource of resources) {
        let tagged: PlannedResource | undefined = resource;
        const seen = new Set<string>();
        while (tagged && !configTags[tagged.urn] && tagged.parent && !seen.has(tagged.urn)) {
            seen.add(tagged.urn);
            tagged = byUrn.get(tagged.parent);
        }
        const tag = tagged ? configTags[tagged.urn] : undefined;
        if (!tag) {
            resource.origin = { file, line: lines.configLine() };
            continue;
        }
        const key = tagged === resource ? tag.key : refine(lines, tag, resource.name);
        resource.origin = { file, line: lines.lineOf(key), configKey: `${project}:${key}` };
    }
}
