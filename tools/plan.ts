// npm run plan -- --stack <name> [--json FILE] [--markdown FILE] [--policy-config FILE] [--stack-file FILE]
// Runs the stack's program offline, evaluates the policy pack, prints the summary. Exit 0 passed,
// 1 mandatory violations or policy errors, 2 bad config or usage.
import { emitReports, parseCli, runCli } from "./lib/cli";
import { planStack } from "./lib/planStack";
import { UsageError } from "./lib/stackFiles";

const usage = `Usage: npm run plan -- --stack <staging|production> [--json FILE] [--markdown FILE] [--policy-config FILE] [--stack-file FILE]
  --stack-file  plan this stack file instead of Pulumi.<stack>.yaml (e.g. a proposed promotion step)`;

void runCli(usage, async () => {
    const { values } = parseCli(process.argv.slice(2), {
        stack: { type: "string" },
        json: { type: "string" },
        markdown: { type: "string" },
        "policy-config": { type: "string" },
        "stack-file": { type: "string" },
    });
    if (!values.stack) throw new UsageError("--stack is required");
    const { document } = await planStack({ stack: values.stack, policyConfigFile: values["policy-config"], stackFile: values["stack-file"] });
    return emitReports(document, { json: values.json, markdown: values.markdown });
});
