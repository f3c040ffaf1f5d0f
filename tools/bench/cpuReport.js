"use strict";
// Preloaded by the benchmark into each process it measures: on exit, the whole process's CPU time
// (from its first instruction, loading included) and peak resident memory go to $BENCH_REPORT.
process.on("exit", () => {
    const usage = process.resourceUsage();
    require("fs").writeFileSync(
        process.env.BENCH_REPORT,
        JSON.stringify({ user: usage.userCPUTime / 1e6, system: usage.systemCPUTime / 1e6, maxRssMB: usage.maxRSS / 1024 }),
    );
});
