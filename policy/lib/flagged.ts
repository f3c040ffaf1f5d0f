import { formatPath, PropertyPath } from "./settings";

// Where credential policies found a plaintext credential, for tools that publish what they evaluated:
// a report must not copy the very value a policy flagged. The engine's analyzer has no channel for
// this; under it nobody listens and flagging is a no-op.

export type FlaggedValueListener = (urn: string, path: string) => void;

const listeners = new Set<FlaggedValueListener>();

/** Listens for flagged values until the returned function is called. */
export function onFlaggedValue(listener: FlaggedValueListener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

/** Records that the value at `path` of the resource `urn` is a plaintext credential. */
export function flagCredentialValue(urn: string, path: PropertyPath): void {
    if (listeners.size === 0) return;
    const text = formatPath(path);
    for (const listener of listeners) listener(urn, text);
}
