// A stand-in `pulumi` executable for tests of the Automation API. The executable is thin: it sends each
// call (argv, cwd, the PULUMI_* environment) to a handler in the test process over loopback HTTP, prints
// the handler's stdout and stderr, exits with its code, and delivers its engine events the way the real
// CLI does. Pulumi 3.206 and later (the SDK reads the CLI's version) send them to the `--event-log
// tcp://127.0.0.1:PORT` the Automation API gives: a gRPC stream of `pulumirpc.EventRequest`, each the
// event's JSON (pkg/backend/display/display.go, startEventLogger; the SDK's EventsServer in
// automation/stack.js), closed before the CLI exits. An older CLI appends JSON lines to a file the SDK
// tails. Every event is stamped with `sequence` and `timestamp` as apitype.EngineEvent has them.
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";

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
const pulumiSdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpcJs = path.dirname(require.resolve("@grpc/grpc-js/package.json"));

// Plain Node.js (no transpiler: every call is a fresh process, so it must start fast).
const script = (server: string) => `#!/usr/bin/env node
"use strict";
const fs = require("fs");
const http = require("http");
const argv = process.argv.slice(2);
const env = {};
for (const key of ${JSON.stringify(LOGGED_ENV)}) if (process.env[key] !== undefined) env[key] = process.env[key];
const pulumiVars = Object.keys(process.env).filter(k => k.startsWith("PULUMI_")).sort();
const request = http.request(${JSON.stringify(server)}, { method: "POST", headers: { "content-type": "application/json" } }, response => {
    let body = "";
    response.setEncoding("utf8");
    response.on("data", chunk => (body += chunk));
    response.on("end", () => deliver(JSON.parse(body)).catch(e => {
        process.stderr.write("fake pulumi: " + e.stack + "\\n");
        process.exit(3);
    }));
});
request.on("error", e => {
    process.stderr.write("fake pulumi: no handler answers at ${server}: " + e.message + "\\n");
    process.exit(3);
});
request.end(JSON.stringify({ argv, cwd: process.cwd(), env, pulumiVars }));

function flag(name) {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
}

async function deliver(answer) {
    const now = Math.floor(Date.now() / 1000);
    const events = (answer.events || []).map((e, i) => Object.assign({ sequence: i + 1, timestamp: now }, e));
    const log = flag("--event-log");
    if (log && events.length) {
        if (log.startsWith("tcp://")) await stream(log.slice("tcp://".length), events);
        else fs.appendFileSync(log, events.map(e => JSON.stringify(e) + "\\n").join(""));
    }
    const done = () => process.exit(answer.code || 0);
    process.stdout.write(answer.stdout || "", () => process.stderr.write(answer.stderr || "", done));
}

function stream(address, events) {
    const grpc = require(${JSON.stringify(grpcJs)});
    const services = require(${JSON.stringify(path.join(pulumiSdk, "proto", "events_grpc_pb.js"))});
    const messages = require(${JSON.stringify(path.join(pulumiSdk, "proto", "events_pb.js"))});
    const client = new services.EventsClient(address, grpc.credentials.createInsecure());
    return new Promise((resolve, reject) => {
        const call = client.streamEvents((error) => {
            client.close();
            if (error) reject(error);
            else resolve();
        });
        for (const event of events) {
            const message = new messages.EventRequest();
            message.setEvent(JSON.stringify(event));
            call.write(message);
        }
        call.end();
    });
}
`;

/** Creates `<root>/bin/pulumi`, answering through `handler` (or one set later). */
export async function startFakePulumi(root: string, options: { version?: string; handler?: FakeHandler } = {}): Promise<FakePulumi> {
    const version = options.version ?? "3.248.0";
    let handler: FakeHandler = options.handler ?? (() => ({ stderr: "fake pulumi: no handler\n", code: 2 }));
    let calls: FakePulumiCall[] = [];
    const server = http.createServer((request, response) => {
        let body = "";
        request.setEncoding("utf8");
        request.on("data", chunk => (body += chunk));
        request.on("end", async () => {
            const call = JSON.parse(body) as FakePulumiCall;
            let answer: FakeAnswer;
            if (call.argv[0] === "version") answer = { stdout: `v${version}\n` };
            else {
                calls.push(call);
                try {
                    answer = await handler(call);
                } catch (e) {
                    answer = { stderr: `fake pulumi handler failed: ${(e as Error).stack}\n`, code: 3 };
                }
            }
            response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
        });
    });
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
    const bin = path.join(root, "bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, "pulumi"), script(url), { mode: 0o755 });
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
export function historyEntry(version: number, message: string, resourceChanges: Record<string, number>, result: "succeeded" | "failed" = "succeeded") {
    const now = new Date().toISOString();
    return { version, kind: "update", startTime: now, message, environment: { "exec.kind": "auto.local" }, config: {}, result, endTime: now, resourceChanges };
}
