// The promotion's metrics source: Prometheus' instant-query HTTP API, read at the decision's time (the
// wall clock live, past instants in a rehearsal). Every answer that is not exactly one number becomes
// null with the reason, so the state machine can tell "no data" from health and say why it held.
import { QUERY_PLACEHOLDERS, QueryPlaceholder } from "../../stacks/config/promotion";
import { bodyExcerpt, fetchFailureReason, httpEndpoint } from "./http";
import { MetricReading, MetricsSource } from "./types";

/**
 * Fills a query template's `{{namespace}}`, `{{service}}`, `{{colour}}` and `{{window}}` (spaces inside
 * the braces allowed). Throws on any other placeholder, and on a value that would break out of the
 * PromQL string it is placed in.
 */
export function renderQuery(template: string, vars: Record<QueryPlaceholder, string>): string {
    return template.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_match, name: string) => {
        if (!(QUERY_PLACEHOLDERS as readonly string[]).includes(name)) {
            throw new Error(`query placeholder {{${name}}}: expected one of ${QUERY_PLACEHOLDERS.map(p => `{{${p}}}`).join(", ")}, in ${JSON.stringify(template)}`);
        }
        const value = vars[name as QueryPlaceholder];
        if (typeof value !== "string" || value === "") {
            throw new Error(`query placeholder {{${name}}}: expected a value, found ${JSON.stringify(value)}`);
        }
        if (/["\\\n`]/.test(value)) {
            throw new Error(`query placeholder {{${name}}}: expected a value without quotes, backslashes or newlines, found ${JSON.stringify(value)}`);
        }
        return value;
    });
}

// Prometheus writes sample values as Go formats floats: "+Inf", "-Inf" and "NaN" besides plain numbers.
function parseSampleValue(text: string): number {
    if (text === "+Inf" || text === "Inf") return Infinity;
    if (text === "-Inf") return -Infinity;
    return Number(text);
}

type Sample = { metric?: Record<string, string>; value?: [number, string] };
type QueryResponse =
    | { status: "success"; data: { resultType: "vector"; result: Sample[] } | { resultType: "scalar" | "string"; result: [number, string] } | { resultType: "matrix"; result: unknown[] } }
    | { status: "error"; errorType?: string; error?: string };

/** `{a="1", b="2"}`: a series' labels as PromQL shows them. */
const labelsText = (metric: Record<string, string> = {}) =>
    `{${Object.entries(metric)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(", ")}}`;

export class PrometheusSource implements MetricsSource {
    /** The base URL as errors print it: no trailing slash, no credentials. */
    readonly url: string;
    private readonly endpoint: URL;
    private readonly headers: Record<string, string>;
    private readonly requestTimeoutMs: number;

    constructor(baseUrl: string, options: { requestTimeoutMs?: number } = {}) {
        let endpoint;
        try {
            endpoint = httpEndpoint(baseUrl);
        } catch {
            throw new Error(`Prometheus URL: expected an http(s) URL, found ${JSON.stringify(baseUrl.replace(/\/+$/, "").replace(/\/\/[^/@]*@/, "//***@"))}`);
        }
        if (!/^https?:\/\//.test(endpoint.base)) throw new Error(`Prometheus URL: expected http or https, found ${new URL(endpoint.base).protocol}`);
        this.url = endpoint.base;
        this.headers = endpoint.headers;
        this.endpoint = new URL(`${this.url}/api/v1/query`);
        this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    }

    async query(promql: string, time: Date): Promise<MetricReading> {
        const url = new URL(this.endpoint);
        url.searchParams.set("query", promql);
        url.searchParams.set("time", String(time.getTime() / 1000));
        let status: number;
        let body: string;
        try {
            const response = await fetch(url, { headers: this.headers, signal: AbortSignal.timeout(this.requestTimeoutMs) });
            status = response.status;
            body = await response.text();
        } catch (error) {
            return { value: null, error: `Prometheus unreachable at ${this.url}: ${fetchFailureReason(error, this.requestTimeoutMs)}` };
        }
        let answer: QueryResponse;
        try {
            answer = JSON.parse(body) as QueryResponse;
        } catch {
            const snippet = bodyExcerpt(body);
            return { value: null, error: `Prometheus at ${this.url} answered HTTP ${status} with a body that is not the query API's JSON: ${JSON.stringify(snippet)}` };
        }
        if (answer.status === "error") {
            return { value: null, error: `Prometheus refused the query (HTTP ${status}, ${answer.errorType ?? "unknown error type"}): ${answer.error ?? "no error text"}` };
        }
        if (answer.status !== "success" || !answer.data) {
            return { value: null, error: `Prometheus at ${this.url} answered HTTP ${status} without a status of success or error` };
        }
        const data = answer.data;
        if (data.resultType === "scalar") return this.reading(data.result[1]);
        if (data.resultType !== "vector") {
            return { value: null, error: `the query returned a ${data.resultType}: expected an instant vector of one series or a scalar` };
        }
        const samples = data.result;
        if (samples.length === 0) return { value: null, error: "no data (the query returned no series)" };
        if (samples.length > 1) {
            const shown = samples.slice(0, 3).map(s => labelsText(s.metric));
            return {
                value: null,
                error: `${samples.length} series (${shown.join(", ")}${samples.length > 3 ? ", …" : ""}): the query must aggregate to one series, e.g. with sum(...)`,
            };
        }
        return this.reading(samples[0].value?.[1]);
    }

    private reading(text: string | undefined): MetricReading {
        if (text === undefined) return { value: null, error: "the series has no sample value" };
        const value = parseSampleValue(text);
        if (Number.isNaN(value)) return { value: null, error: "NaN (0/0: no traffic in the window?)" };
        if (!Number.isFinite(value)) return { value: null, error: `${text} (a division by zero: no traffic in the window?)` };
        return { value };
    }
}
