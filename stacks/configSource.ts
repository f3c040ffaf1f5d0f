// Which config key each component was declared from, so a policy violation on any resource can point
// at the line of Pulumi.<stack>.yaml that caused it (the offline plan's `origin`, SARIF's location).
// Every component (and explicit provider) stacks/*.ts declares is wrapped once:
//     fromConfig("data.redis", new RedisCache(...))
// Its children need nothing: a resource takes the key of its nearest tagged ancestor. Under the Pulumi
// CLI the tags are recorded and never read; they change no resource.
import * as pulumi from "@pulumi/pulumi";

/** One tag: a resource and the config key path it was declared from. */
export interface ConfigTag {
    /** Path under the project's config namespace: `deployments.services.api` for `trading-platform:deployments` → services → api. */
    key: string;
    urn: pulumi.Output<string>;
    /**
     * Maps under `key` whose entries name children: with `["services"]`, a child named `<anything>-rest-adapter`
     * (or `rest-adapter`) is traced to `<key>.services.rest-adapter` when that entry exists.
     */
    entries?: string[];
}

/** A key path: segments of letters, digits, `_` and `-`, joined by dots (no segment holds a dot). */
const keyPath = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

const tags: ConfigTag[] = [];

/**
 * Tags `resource` as declared from the config key `key` (a path under the project's namespace) and
 * returns it. `entries` names maps under the key whose entries the component's children are named after.
 */
export function fromConfig<T extends pulumi.Resource>(key: string, resource: T, options: { entries?: string[] } = {}): T {
    if (!keyPath.test(key)) throw new Error(`fromConfig: "${key}" is not a config key path such as deployments.services.api`);
    tags.push({ key, urn: resource.urn, ...(options.entries ? { entries: options.entries } : {}) });
    return resource;
}

/** The tags recorded since the last call, for the offline runtime (tools/runtime/program.ts); clears them. */
export function takeConfigTags(): ConfigTag[] {
    return tags.splice(0, tags.length);
}
