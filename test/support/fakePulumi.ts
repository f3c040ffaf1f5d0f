// A stand-in `pulumi` executable for tests of the Automation API: it logs each call (argv, cwd, the
// PULUMI_* environment) as one JSON line and answers the commands the SDK sends from files the test
// controls. Anything else exits 2, so a test notices a command it did not expect.
import * as fs from "fs";
import * as path from "path";

export interface FakePulumiCall {
    argv: string[];
    cwd: string;
    /** Values of the non-secret variables the SDK sets (PULUMI_AUTOMATION_API, PULUMI_SKIP_UPDATE_CHECK, …). */
    env: Record<string, string>;
    /** Names of every PULUMI_* variable present (names only: a passphrase never reaches the log). */
    pulumiVars: string[];
}

export interface FakeUpFailure {
    stdout?: string;
    stderr: string;
    /** Exit code (the CLI exits 255 on a failed update). */
    code?: number;
}

export interface FakePulumi {
    /** What `PulumiCommand.get({ root })` takes: the executable is `<root>/bin/pulumi`. */
    root: string;
    /** Pass these to the code under test (its envVars): the log's path reaches the stand-in through them. */
    env: Record<string, string>;
    /** What `pulumi stack output --json` prints. */
    setOutputs(outputs: Record<string, unknown>): void;
    /** Stack config by full key (`project:section`), objects as objects: what `pulumi config get KEY --json` answers. */
    setConfig(config: Record<string, unknown>): void;
    /** The next `pulumi up` fails so (undefined: it succeeds with `resourceChanges`). */
    setUp(result: { fail?: FakeUpFailure; resourceChanges?: Record<string, number> }): void;
    /** Every logged call since the last reset, in order. */
    calls(): FakePulumiCall[];
    /** Forgets the calls, the outputs, the config and the up result. */
    reset(): void;
}

const VERSION = "v3.248.0";
const LOGGED_ENV = ["PULUMI_AUTOMATION_API", "PULUMI_DEBUG_COMMANDS", "PULUMI_SKIP_UPDATE_CHECK", "PULUMI_HOME"];

// Plain Node.js (no transpiler: every call is a fresh process, so it must start fast).
const script = (stateDir: string) => `#!/usr/bin/env node
"use strict";
const fs = require("fs");
const path = require("path");
const STATE = ${JSON.stringify(stateDir)};
const argv = process.argv.slice(2);
const read = (name, fallback) => {
    const file = path.join(STATE, name);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : fallback;
};
const flag = name => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
};
const fail = (message, code) => {
    process.stderr.write(message + "\\n");
    process.exit(code);
};
if (process.env.FAKE_PULUMI_LOG) {
    const env = {};
    for (const key of ${JSON.stringify(LOGGED_ENV)}) if (process.env[key] !== undefined) env[key] = process.env[key];
    const pulumiVars = Object.keys(process.env).filter(k => k.startsWith("PULUMI_")).sort();
    fs.appendFileSync(process.env.FAKE_PULUMI_LOG, JSON.stringify({ argv, cwd: process.cwd(), env, pulumiVars }) + "\\n");
}
const stack = flag("--stack");
const [a, b] = argv;
if (a === "version") {
    process.stdout.write("${VERSION}\\n");
} else if (a === "stack" && b === "select") {
    if (stack !== "production") fail("error: no stack named '" + stack + "' found", 255);
} else if (a === "stack" && b === "output" && argv.includes("--json")) {
    process.stdout.write(JSON.stringify(read("outputs.json", {}), null, 2) + "\\n");
} else if (a === "stack" && b === "history" && argv.includes("--json")) {
    process.stdout.write(JSON.stringify(read("history.json", []), null, 2) + "\\n");
} else if (a === "config" && b === "get" && argv.includes("--json")) {
    const key = argv[2];
    const config = read("config.json", {});
    if (!(key in config)) fail("error: configuration key '" + key + "' not found for stack '" + stack + "'", 255);
    const value = config[key];
    const text = typeof value === "string" ? value : JSON.stringify(value);
    process.stdout.write(JSON.stringify(typeof value === "string" ? { value: text, secret: false } : { value: text, objectValue: value, secret: false }, null, 2) + "\\n");
} else if (a === "config" && b === "set-all") {
    // Accepted: the test asserts the argv (the real CLI writes Pulumi.<stack>.yaml).
} else if (a === "up") {
    const up = read("up.json", {});
    if (up.fail) {
        process.stdout.write(up.fail.stdout || "");
        process.stderr.write(up.fail.stderr);
        process.exit(up.fail.code === undefined ? 255 : up.fail.code);
    }
    const changes = up.resourceChanges || { same: 1 };
    const eventLog = flag("--event-log");
    if (eventLog && !eventLog.startsWith("tcp://")) {
        fs.appendFileSync(eventLog, JSON.stringify({ sequence: 1, timestamp: Math.floor(Date.now() / 1000), summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: changes, policyPacks: {} } }) + "\\n");
    }
    const lines = ["Updating (" + stack + "):", "", "Resources:"];
    for (const [op, n] of Object.entries(changes)) lines.push("    " + n + " " + op);
    lines.push("", "Duration: 1s", "");
    process.stdout.write(lines.join("\\n"));
    const now = new Date().toISOString();
    const history = read("history.json", []);
    const version = (history[0] ? history[0].version : 0) + 1;
    history.unshift({ version, kind: "update", startTime: now, message: flag("--message") || "", environment: { "exec.kind": flag("--exec-kind") || "" }, config: {}, result: "succeeded", endTime: now, resourceChanges: changes });
    fs.writeFileSync(path.join(STATE, "history.json"), JSON.stringify(history));
} else {
    fail("fake pulumi: unexpected command: " + JSON.stringify(argv), 2);
}
`;

/** Creates `<root>/bin/pulumi` (and its state under `<root>/state`). */
export function createFakePulumi(root: string): FakePulumi {
    const bin = path.join(root, "bin");
    const stateDir = path.join(root, "state");
    const logFile = path.join(root, "calls.jsonl");
    fs.mkdirSync(bin, { recursive: true });
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(path.join(bin, "pulumi"), script(stateDir), { mode: 0o755 });
    fs.chmodSync(path.join(bin, "pulumi"), 0o755);
    const write = (name: string, value: unknown) => fs.writeFileSync(path.join(stateDir, name), JSON.stringify(value));
    return {
        root,
        env: { FAKE_PULUMI_LOG: logFile },
        setOutputs: outputs => write("outputs.json", outputs),
        setConfig: config => write("config.json", config),
        setUp: result => write("up.json", result),
        calls: () =>
            fs.existsSync(logFile)
                ? fs
                      .readFileSync(logFile, "utf8")
                      .split("\n")
                      .filter(Boolean)
                      .map(line => JSON.parse(line) as FakePulumiCall)
                : [],
        reset() {
            fs.rmSync(logFile, { force: true });
            for (const name of fs.readdirSync(stateDir)) fs.rmSync(path.join(stateDir, name));
        },
    };
}
