// A stand-in for Slack's incoming webhooks on a loopback port: every POST recorded by its path (one
// path per webhook), answered as Slack answers (200 "ok"), or with the failure `answer` chooses.
import * as http from "http";
import * as net from "net";
import { filler } from "../../policy/lib/credentialFamilies";

export interface SlackPost {
    path: string;
    contentType?: string;
    /** The message's `text`, or the raw body when it is not the JSON Slack takes. */
    text: string;
}

export interface SlackWebhookServer {
    /** http://127.0.0.1:<port> */
    url: string;
    posts: SlackPost[];
    /** A webhook URL of this server in the shape Slack hands out (team, bot, 24-character secret), different for each seed. */
    webhook(seed: string): string;
    close(): Promise<void>;
}

export async function startSlackWebhook(
    answer: (path: string, attempt: number) => { status: number; body: string; headers?: Record<string, string> } = () => ({
        status: 200,
        body: "ok",
    }),
): Promise<SlackWebhookServer> {
    const posts: SlackPost[] = [];
    const attempts = new Map<string, number>();
    const server = http.createServer((req, res) => {
        let body = "";
        req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        req.on("end", () => {
            const path = req.url ?? "";
            let text = body;
            try {
                text = (JSON.parse(body) as { text: string }).text;
            } catch {
                // Kept raw: a test reads what was sent.
            }
            posts.push({ path, contentType: req.headers["content-type"], text });
            const attempt = (attempts.get(path) ?? 0) + 1;
            attempts.set(path, attempt);
            const reply = answer(path, attempt);
            res.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers }).end(reply.body);
        });
    });
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const id = (alphabet: string, length: number, seed: string) => filler(alphabet, length, seed);
    const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const ALNUM = `${UPPER_DIGITS}abcdefghijklmnopqrstuvwxyz`;
    return {
        url,
        posts,
        webhook: seed =>
            `${url}/services/T${id(UPPER_DIGITS, 10, `${seed}t`)}/B${id(UPPER_DIGITS, 10, `${seed}b`)}/${id(ALNUM, 24, `${seed}s`)}`,
        close: () => new Promise(resolve => server.close(() => resolve())),
    };
}
