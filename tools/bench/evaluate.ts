// `node tools/bench/evaluate.ts N`: evaluates the whole pack over N generated resources after a
// warm-up, in its own process so its peak memory is its own; prints {cpu, wall, validations, violations}.
import { loadPolicyPack } from "../engine/pack";
import { evaluatePolicies } from "../engine/policyEngine";
import { generatedResources } from "./generated";

async function main(count: number): Promise<void> {
    const pack = loadPolicyPack();
    // Warm-up at the same size: the figure is the evaluator's steady cost, not the JIT's first pass.
    for (let i = 0; i < Number(process.env.BENCH_WARMUPS ?? 1); i++) await evaluatePolicies(pack, generatedResources(count, "staging"));
    const resources = generatedResources(count, "staging");
    // The warm-up's garbage is collected before the clock starts: what follows is this evaluation's own cost.
    (globalThis as { gc?: () => void }).gc?.();
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    const result = await evaluatePolicies(pack, resources);
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    process.stdout.write(
        JSON.stringify({
            cpu: (cpu.user + cpu.system) / 1e6,
            wall,
            validations: result.counts.validationsRun,
            violations: result.violations.length,
            errors: result.errors.length,
        }),
    );
}

void main(Number(process.argv[2]));
