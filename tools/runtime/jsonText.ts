// Reading JSON a user handed a tool, without ever quoting it back: V8's parse errors quote the text
// around the fault ("Unexpected token 'h', \"{\"a\": hunter2…\" is not valid JSON"), and a malformed
// stack outputs file or plan may hold a credential right there.

/** Why `text` is not JSON, by position only (line and column when the parser names one); never its content. */
export function jsonProblem(text: string, error: unknown): string {
    const position = /at position (\d+)/.exec(error instanceof Error ? error.message : "");
    if (text.trim() === "") return "not JSON (it is empty)";
    if (!position) return "not JSON (the parser's own message is withheld: it quotes the content)";
    const before = text.slice(0, Number(position[1]));
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    return `not JSON (invalid at line ${line}, column ${column})`;
}

/** `text` parsed, or a thrown Error of `make(problem)` whose message names no part of the text. */
export function parseJsonText<T = unknown>(text: string, make: (problem: string) => Error): T {
    try {
        return JSON.parse(text) as T;
    } catch (e) {
        throw make(jsonProblem(text, e));
    }
}

/** How a message describes a JSON value without quoting it: its type, and its size for a list or an object. */
export function describeJsonShape(value: unknown): string {
    if (value === undefined) return "nothing";
    if (value === null) return "null";
    if (Array.isArray(value)) return `a list of ${value.length} item(s)`;
    if (typeof value === "object") {
        return `an object with keys ${
            Object.keys(value)
                .slice(0, 8)
                .map(k => JSON.stringify(k.slice(0, 40)))
                .join(", ") || "(none)"
        }`;
    }
    return `a ${typeof value}`;
}
