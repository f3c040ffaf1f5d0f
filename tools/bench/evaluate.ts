// `node tools/bench/evaluate.ts N`: evaluates the whole pack over N generated resources, in its own
// process so its peak memory is its own. Prints {cpu, main, wall, first, validations, violations, errors}:
// the steady cost (the median of three evaluations after three warm-ups) and the first evaluation's
// (the process's first, compiling as it goes). CPU is the process's, V8's compiler and collector
// threads included; `main` is the main thread's alone (Linux), what the evaluator itself runs.
import * as fs from "fs";
import { loadPolicyPack } from "../engine/pack";
import { evaluatePolicies } from "../engine/policyEngine";
import { generatedResources } from "./generated";

interface Cost {
    cpu: number;
    main?: number;
    wall: number;
}

/** CPU time of the calling thread in seconds, where the kernel reports it (/proc/thread-self/schedstat). */
function threadCpu(): number | undefined {
    try {
        return Number(fs.readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e9;
    } catch {
        return undefined;
    }
}

/**
 * Garbage left by what ran before, collected before the clock starts, with a regular full collection:
 * a bare gc() reduces memory, dropping V8's compiled code, which the next evaluation would then pay
 * to compile again.
 */
const collect = () => (globalThis as { gc?: (options: object) => void }).gc?.({ type: "major", execution: "sync", flavor: "regular" });

async function measure(run: () => Promise<unknown>): Promise<Cost> {
    collect();
    const mainBefore = threadCpu();
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    await run();
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const mainAfter = threadCpu();
    return {
        cpu: (cpu.user + cpu.system) / 1e6,
        ...(mainBefore !== undefined && mainAfter !== undefined ? { main: mainAfter - mainBefore } : {}),
        wall,
    };
}

async function main(count: number): Promise<void> {
    const pack = loadPolicyPack();
    const fresh = () => generatedResources(count, "staging");
    let resources = fresh();
    const first = await measure(() => evaluatePolicies(pack, resources));
    // Warm-ups at the same size until V8 has compiled what the evaluation runs (three were enough in
    // every trace: no function was optimized again after them).
    for (let i = 1; i < Number(process.env.BENCH_WARMUPS ?? 3); i++) await evaluatePolicies(pack, fresh());
    const steady: Cost[] = [];
    let result: Awaited<ReturnType<typeof evaluatePolicies>> | undefined;
    for (let i = 0; i < 3; i++) {
        // Each evaluation gets resources of its own: the evaluator freezes what it is given.
        resources = fresh();
        steady.push(await measure(async () => (result = await evaluatePolicies(pack, resources))));
    }
    const median = steady.sort((a, b) => a.cpu - b.cpu)[1];
    process.stdout.write(
        JSON.stringify({
            ...median,
            first,
            validations: result!.counts.validationsRun,
            violations: result!.violations.length,
            errors: result!.errors.length,
        }),
    );
}

void main(Number(process.argv[2]));
