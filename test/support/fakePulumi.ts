// A stand-in `pulumi` executable for tests of the Automation API. The executable is a few lines of bash
// (no Node.js start-up per call: a promotion's test makes hundreds of calls): it sends each call (argv,
// cwd, the PULUMI_* environment) to a handler in the test process over loopback HTTP (bash's
// /dev/tcp), prints the handler's stdout and stderr, and exits with its code. The handler's engine
// events reach the Automation API the way the real CLI sends them, before the executable exits: Pulumi
// 3.206 and later (the SDK reads the CLI's version) stream them to the `--event-log tcp://127.0.0.1:PORT`
// the SDK gives, as gRPC `pulumirpc.EventRequest` messages each holding one event's JSON, the stream
// closed before the CLI exits (pkg/backend/display/display.go, startEventLogger; the SDK's EventsServer
// in automation/stack.js); an older CLI appends JSON lines to a file the SDK tails. The test process
// opens that stream on the executable's behalf. Every event is stamped with `sequence` and `timestamp`
// as apitype.EngineEvent has them.
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";

export interface FakePulumiCall {
    argv: string[];
    cwd: string;
    /** Values of the non-secret variables the SDK sets (PULUMI_AUTOMATION_API, PULUMI_SKIP_UPDATE_CHECK, …). */
    env: Record<string, string>;
    /** Names of every PULUMI_* variable present (names only: a passphrase never reaches the log). */
    pulumiVars: string[];
}

/** One engine event as apitype.EngineEvent spells it, without `sequence` and `timestamp` (the stand-in adds them). */
export type FakeEngineEvent = Record<string, unknown>;

export interface FakeAnswer {
    stdout?: string;
    stderr?: string;
    /** Exit code (the CLI exits 255 on a failed update); 0 when absent. */
    code?: number;
    /** Sent to `--event-log` before the CLI exits. */
    events?: FakeEngineEvent[];
}

export type FakeHandler = (call: FakePulumiCall) => FakeAnswer | Promise<FakeAnswer>;

export interface FakePulumi {
    /** What `PulumiCommand.get({ root })` takes: the executable is `<root>/bin/pulumi`. */
    root: string;
    /** The version `pulumi version` prints (the SDK picks the event transport by it). */
    version: string;
    /** Every call since the last reset, in order. */
    calls(): FakePulumiCall[];
    reset(): void;
    /** Answers every later call. */
    handle(handler: FakeHandler): void;
    close(): Promise<void>;
}

const LOGGED_ENV = ["PULUMI_AUTOMATION_API", "PULUMI_DEBUG_COMMANDS", "PULUMI_SKIP_UPDATE_CHECK", "PULUMI_HOME"];
const FIELD = "\x1f";
const RECORD = "\x1e";

// Bash, not sh: /dev/tcp. The request body: cwd, then the PULUMI_* environment (logged values as
// NAME=value, every other name alone), then argv, records apart; the answer: the exit code, then stdout
// and stderr in base64, one line each.
const script = (port: number) => `#!/usr/bin/env bash
export LC_ALL=C
env_part=""
for name in $(compgen -e | grep '^PULUMI_' | sort); do
    case " ${LOGGED_ENV.join(" ")} " in
        *" $name "*) env_part+="$name=\${!name}"$'${FIELD}' ;;
        *) env_part+="$name"$'${FIELD}' ;;
    esac
done
args=""
for arg in "$@"; do args+="$arg"$'${FIELD}'; done
body="$PWD"$'${RECORD}'"$env_part"$'${RECORD}'"$args"
exec 3<>/dev/tcp/127.0.0.1/${port} || { echo "fake pulumi: no handler answers on port ${port}" >&2; exit 3; }
printf 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' "\${#body}" "$body" >&3
while IFS= read -r line <&3; do line="\${line%$'\r'}"; [ -z "$line" ] && break; done
IFS= read -r code <&3
IFS= read -r out <&3
IFS= read -r err <&3
printf '%s' "$out" | base64 -d
printf '%s' "$err" | base64 -d >&2
exit "$code"
`;

function parseCall(body: string): FakePulumiCall {
    const [cwd, envPart, argPart] = body.split(RECORD);
    const fields = (text: string) => (text ? text.split(FIELD).slice(0, -1) : []);
    const env: Record<string, string> = {};
    const pulumiVars: string[] = [];
    for (const entry of fields(envPart)) {
        const at = entry.indexOf("=");
        const name = at < 0 ? entry : entry.slice(0, at);
        pulumiVars.push(name);
        if (at >= 0) env[name] = entry.slice(at + 1);
    }
    return { argv: fields(argPart), cwd, env, pulumiVars };
}

// The SDK's own generated client of the events service (the same proto the CLI's Go client uses).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const eventsService = require("@pulumi/pulumi/proto/events_grpc_pb") as {
    EventsClient: new (
        address: string,
        credentials: grpc.ChannelCredentials,
    ) => grpc.Client & { streamEvents(cb: (e: Error | null) => void): grpc.ClientWritableStream<unknown> };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const eventMessages = require("@pulumi/pulumi/proto/events_pb") as { EventRequest: new () => { setEvent(json: string): void } };

/** Delivers events as the CLI does: over the SDK's gRPC events server, or appended to a log file. */
async function deliver(log: string, events: Record<string, unknown>[]): Promise<void> {
    if (!log.startsWith("tcp://")) {
        fs.appendFileSync(log, events.map(e => `${JSON.stringify(e)}\n`).join(""));
        return;
    }
    const client = new eventsService.EventsClient(log.slice("tcp://".length), grpc.credentials.createInsecure());
    await new Promise<void>((resolve, reject) => {
        const call = client.streamEvents(error => {
            client.close();
            if (error) reject(error);
            else resolve();
        });
        for (const event of events) {
            const message = new eventMessages.EventRequest();
            message.setEvent(JSON.stringify(event));
            call.write(message);
        }
        call.end();
    });
}

/** Creates `<root>/bin/pulumi`, answering through `handler` (or one set later). */
export async function startFakePulumi(root: string, options: { version?: string; handler?: FakeHandler } = {}): Promise<FakePulumi> {
    const version = options.version ?? "3.248.0";
    let handler: FakeHandler = options.handler ?? (() => ({ stderr: "fake pulumi: no handler\n", code: 2 }));
    let calls: FakePulumiCall[] = [];
    const answer = async (call: FakePulumiCall): Promise<{ code: number; stdout: string; stderr: string }> => {
        if (call.argv[0] === "version") return { code: 0, stdout: `v${version}\n`, stderr: "" };
        calls.push(call);
        let given: FakeAnswer;
        try {
            given = await handler(call);
        } catch (e) {
            given = { stderr: `fake pulumi handler failed: ${(e as Error).stack}\n`, code: 3 };
        }
        const log = flagOf(call.argv, "--event-log");
        if (log && given.events?.length) {
            const now = Math.floor(Date.now() / 1000);
            await deliver(
                log,
                given.events.map((e, i) => ({ sequence: i + 1, timestamp: now, ...e })),
            );
        }
        return { code: given.code ?? 0, stdout: given.stdout ?? "", stderr: given.stderr ?? "" };
    };
    const server = http.createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on("data", chunk => chunks.push(chunk as Buffer));
        request.on("end", async () => {
            const { code, stdout, stderr } = await answer(parseCall(Buffer.concat(chunks).toString("utf8")));
            const body = `${code}\n${Buffer.from(stdout).toString("base64")}\n${Buffer.from(stderr).toString("base64")}\n`;
            response.writeHead(200, { "content-length": Buffer.byteLength(body) }).end(body);
        });
    });
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const bin = path.join(root, "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "pulumi"), script(port), { mode: 0o755 });
    fs.chmodSync(path.join(bin, "pulumi"), 0o755);
    return {
        root,
        version,
        calls: () => [...calls],
        reset: () => (calls = []),
        handle: h => (handler = h),
        close: () => new Promise(resolve => server.close(() => resolve())),
    };
}

/** The value of `--name` in a call's argv, every value when `all`. */
export function flagOf(argv: string[], name: string): string | undefined {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
}
export function flagsOf(argv: string[], name: string): string[] {
    return argv.flatMap((arg, i) => (arg === name ? [argv[i + 1]] : []));
}

/** An update's summary as `pulumi stack history --json` prints it. */
export function historyEntry(
    version: number,
    message: string,
    resourceChanges: Record<string, number>,
    result: "succeeded" | "failed" = "succeeded",
) {
    const now = new Date().toISOString();
    return {
        version,
        kind: "update",
        startTime: now,
        message,
        environment: { "exec.kind": "auto.local" },
        config: {},
        result,
        endTime: now,
        resourceChanges,
    };
}
