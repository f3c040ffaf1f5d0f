// What the promotion's HTTP clients (Prometheus, the notification channels) share: a base URL whose
// credentials travel as a header and never appear in a message, and one-line failure reasons.

/** A base URL as requests use it (credentials moved to a header) and as messages print it (without them). */
export interface HttpEndpoint {
    /** No trailing slash, no credentials. */
    base: string;
    headers: Record<string, string>;
}

/** Parses `url` (throws on one that is not a URL); `user:password@` becomes Basic auth, since fetch refuses URLs with credentials. */
export function httpEndpoint(url: string): HttpEndpoint {
    const parsed = new URL(url.replace(/\/+$/, ""));
    const headers: Record<string, string> = {};
    if (parsed.username || parsed.password) {
        headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString("base64")}`;
        parsed.username = "";
        parsed.password = "";
    }
    return { base: parsed.href.replace(/\/+$/, ""), headers };
}

/** Why a fetch failed, in one line: a timeout, or the socket error (ECONNREFUSED, ENOTFOUND) fetch keeps as its cause. */
export function fetchFailureReason(error: unknown, timeoutMs: number): string {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
        return `no answer within ${timeoutMs / 1000} s`;
    }
    const cause = error instanceof Error ? (error.cause as { message?: string; code?: string } | undefined) : undefined;
    return cause?.message || cause?.code || (error instanceof Error ? error.message : String(error));
}

/** The start of a response body on one line, for a message. */
export const bodyExcerpt = (text: string, chars = 200) => text.trim().replace(/\s+/g, " ").slice(0, chars);
