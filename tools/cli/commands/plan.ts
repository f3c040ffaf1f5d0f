import { diffPlans } from "../../plan/diff";
import { readPlanDocument } from "../../plan/document";
import { planStack } from "../../plan/planStack";
import { UsageError } from "../errors";
import { sourcePath } from "../../runtime/paths";
import { checkDistinctTargets, checkReportTarget, CliIo, emitReports, parseCli, processIo, runCli } from "../run";

export const usage = `Usage: npm run plan -- --stack <staging|production> [--json FILE] [--markdown FILE] [--sarif FILE] [--policy-config FILE] [--stack-file FILE] [--diff BASE.json]
  --json, --markdown  write the plan / a pull-request report there (e.g. reports/plan.json; reports/ is gitignored)
  --sarif       write the policy results as SARIF 2.1.0 for GitHub code scanning, each at the stack file's line
                of the config key that caused it (e.g. reports/production.sarif)
  --stack-file  plan this stack file instead of Pulumi.<stack>.yaml (e.g. a proposed promotion step)
  --diff        compare with a plan written earlier by --json (e.g. on the base branch)`;

/** `npm run plan`: runs the stack's program offline, evaluates the pack, prints and writes reports; returns the exit code. */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
    return runCli(usage, io, async () => {
        const { values } = parseCli(argv, {
            stack: { type: "string" },
            json: { type: "string" },
            markdown: { type: "string" },
            sarif: { type: "string" },
            "policy-config": { type: "string" },
            "stack-file": { type: "string" },
            diff: { type: "string" },
        });
        if (!values.stack) throw new UsageError("--stack is required");
        checkReportTarget(values.json, "--json");
        checkReportTarget(values.markdown, "--markdown");
        checkReportTarget(values.sarif, "--sarif");
        checkDistinctTargets(
            { "--json": values.json, "--markdown": values.markdown, "--sarif": values.sarif },
            { "the --diff base": values.diff, "the --stack-file": values["stack-file"], "the --policy-config": values["policy-config"] },
        );
        // Read the base first: a bad --diff is a usage error, found before the program runs.
        const base = values.diff ? readPlanDocument(values.diff) : undefined;
        const { document, pack } = await planStack({
            stack: values.stack,
            policyConfigFile: values["policy-config"],
            stackFile: values["stack-file"],
        });
        if (base) {
            if (base.stack !== document.stack) {
                throw new UsageError(
                    `--diff compares plans of one stack: ${values.diff} is a plan of "${base.stack}", not "${document.stack}"`,
                );
            }
            document.diff = diffPlans(base, document);
        }
        return emitReports(io, document, {
            json: values.json,
            markdown: values.markdown,
            sarif: values.sarif
                ? {
                      file: values.sarif,
                      pack,
                      options: { command: "plan", fallbackFile: sourcePath(values["stack-file"] ?? `Pulumi.${document.stack}.yaml`) },
                  }
                : undefined,
        });
    });
}
