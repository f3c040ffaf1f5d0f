// The promotion's metrics source: Prometheus' instant-query HTTP API, read at the decision's time (the
// wall clock live, past instants in a rehearsal). It returns every series of the answer; the judges
// (judge.ts) decide what they mean. No answer at all says why: Prometheus refused the query (bad PromQL)
// or could not be asked.
// Rendering a query's placeholders lives with them (the dashboard renders the same queries).
export { renderQuery } from "../../stacks/config/promotion";
import { bodyExcerpt, fetchFailureReason, httpEndpoint } from "./http";
import { MetricReading, MetricsSource } from "./types";

// Prometheus writes sample values as Go formats floats: "+Inf", "-Inf" and "NaN" besides plain numbers.
function parseSampleValue(text: string): number {
    if (text === "+Inf" || text === "Inf") return Infinity;
    if (text === "-Inf") return -Infinity;
    return Number(text);
}

type Sample = { metric?: Record<string, string>; value?: [number, string] };
type QueryResponse =
    | {
          status: "success";
          data:
              | { resultType: "vector"; result: Sample[] }
              | { resultType: "scalar" | "string"; result: [number, string] }
              | { resultType: "matrix"; result: unknown[] };
      }
    | { status: "error"; errorType?: string; error?: string };

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
            throw new Error(
                `Prometheus URL: expected an http(s) URL, found ${JSON.stringify(baseUrl.replace(/\/+$/, "").replace(/\/\/[^/@]*@/, "//***@"))}`,
            );
        }
        if (!/^https?:\/\//.test(endpoint.base)) {
            throw new Error(`Prometheus URL: expected http or https, found ${new URL(endpoint.base).protocol}`);
        }
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
            return {
                samples: [],
                failure: "unreachable",
                error: `Prometheus unreachable at ${this.url}: ${fetchFailureReason(error, this.requestTimeoutMs)}`,
            };
        }
        let answer: QueryResponse;
        try {
            answer = JSON.parse(body) as QueryResponse;
        } catch {
            const snippet = bodyExcerpt(body);
            return {
                samples: [],
                failure: "unreachable",
                error: `Prometheus at ${this.url} answered HTTP ${status} with a body that is not the query API's JSON: ${JSON.stringify(snippet)}`,
            };
        }
        if (answer.status === "error") {
            return {
                samples: [],
                failure: "refused",
                error: `Prometheus refused the query (HTTP ${status}, ${answer.errorType ?? "unknown error type"}): ${answer.error ?? "no error text"}`,
            };
        }
        if (answer.status !== "success" || !answer.data) {
            return {
                samples: [],
                failure: "unreachable",
                error: `Prometheus at ${this.url} answered HTTP ${status} without a status of success or error`,
            };
        }
        const data = answer.data;
        if (data.resultType === "scalar") return { samples: [{ labels: {}, value: parseSampleValue(data.result[1]) }] };
        if (data.resultType !== "vector") {
            return {
                samples: [],
                failure: "shape",
                error: `the query returned a ${data.resultType}: expected an instant vector or a scalar`,
            };
        }
        if (data.result.length === 0) return { samples: [], error: "the query returned no series" };
        return {
            samples: data.result
                .filter(s => s.value?.[1] !== undefined)
                .map(s => ({ labels: s.metric ?? {}, value: parseSampleValue(s.value?.[1] as string) })),
        };
    }
}
