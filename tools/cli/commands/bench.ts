import { CliIo, parseCli, processIo, runCli } from "../run";

export const usage = `Usage: npm run bench
Measures what the offline tools cost (about a minute and a half on 2 cores): CPU, wall time and peak
memory of cold plans against the SDK-load floor, of policy check on 10,000 Deployments, and of policy
evaluation of 10,000 to 40,000 generated resources; then in-process plan timings. Takes no options.
Targets and past figures: docs/architecture.md (Measurements).`;

/** `npm run bench`: prints the measurements as they are taken. Returns the exit code. */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
    return runCli(usage, io, async () => {
        parseCli(argv, {});
        // Loaded only now: --help must not pay for (or start) the SDKs.
        const { runBench } = await import("../../bench/suite");
        await runBench(line => io.stdout.write(`${line}\n`));
        return 0;
    });
}
