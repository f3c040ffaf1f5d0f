import { strict as assert } from "assert";
import * as path from "path";
import { RawStackConfig, StackConfigError, validateStackConfig } from "../../stacks/config";
import { readProject, readStackConfig } from "../../tools/runtime/stackFiles";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const project = readProject(repoRoot);

/** The committed stack file as the CLI would pass it, ready for a test to change one thing. */
export function committedConfig(stack: "staging" | "production"): { values: Record<string, string>; secretKeys: string[] } {
    return readStackConfig(project, stack);
}

export function rawConfig(stack: string, config = committedConfig(stack === "production" ? "production" : "staging")): RawStackConfig {
    return { project: project.name, stack, values: { ...config.values }, secretKeys: new Set(config.secretKeys) };
}

/** Returns a copy of the config with section `key` changed by `edit` (which receives the parsed value). */
export function withSection(
    config: { values: Record<string, string>; secretKeys: string[] },
    key: string,
    edit: (section: any) => unknown, // eslint-disable-line @typescript-eslint/no-explicit-any
): { values: Record<string, string>; secretKeys: string[] } {
    const fullKey = `${project.name}:${key}`;
    const current = config.values[fullKey] === undefined ? undefined : JSON.parse(config.values[fullKey]);
    const next = edit(current === undefined ? undefined : structuredClone(current));
    const values = { ...config.values };
    if (next === undefined) delete values[fullKey];
    else values[fullKey] = JSON.stringify(next);
    return { values, secretKeys: [...config.secretKeys] };
}

/** The problem lines of the error validating `config` for `stack` raises (at `now`, the clock when absent). */
export function problemsOf(stack: string, config: ReturnType<typeof committedConfig>, now?: Date): string[] {
    try {
        validateStackConfig({ ...rawConfig(stack, config), now });
    } catch (e) {
        assert.ok(StackConfigError.isInstance(e), `expected a StackConfigError, got ${String(e)}`);
        return (e as StackConfigError).message
            .split("\n")
            .slice(1)
            .map(l => l.trim());
    }
    assert.fail("the config was accepted");
}
