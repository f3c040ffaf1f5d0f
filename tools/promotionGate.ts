// npm run promotion-gate -- --history FILE --sha SHA
// Exit 0 when staging's last successful update ran SHA, 1 when it did not, 2 on usage errors.
// FILE is the output of `pulumi stack history --stack staging --json`.
import * as fs from "fs";
import { EXIT, parseCli, runCli } from "./lib/cli";
import { stagingGateProblem, StackUpdate } from "./lib/promotionGate";
import { UsageError } from "./lib/stackFiles";

const usage = "Usage: npm run promotion-gate -- --history FILE --sha SHA   (FILE: pulumi stack history --stack staging --json)";

void runCli(usage, async () => {
    const { values } = parseCli(process.argv.slice(2), { history: { type: "string" }, sha: { type: "string" } });
    if (!values.history || !values.sha) throw new UsageError("--history and --sha are required");
    let history: StackUpdate[];
    try {
        history = JSON.parse(fs.readFileSync(values.history, "utf8")) as StackUpdate[];
    } catch (e) {
        throw new UsageError(`${values.history} is not stack history JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(history)) throw new UsageError(`${values.history} is not a JSON array of updates`);
    const problem = stagingGateProblem(history, values.sha);
    if (problem) {
        process.stderr.write(`Promotion refused: ${problem}. Fix: let the staging deploy of this commit finish (push to main), then re-run this job.\n`);
        return EXIT.violations;
    }
    process.stdout.write(`Staging runs ${values.sha}: production may be promoted.\n`);
    return EXIT.passed;
});
