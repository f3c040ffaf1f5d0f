// npm run plan -- --stack <name> [--json FILE] [--markdown FILE] [--policy-config FILE] [--stack-file FILE] [--diff BASE.json]
// Runs the stack's program offline, evaluates the policy pack, prints the summary. Exit 0 passed,
// 1 mandatory violations or policy errors, 2 bad config or usage.
// First: the SDK need not load its Automation API to check or plan (tools/runtime/lazyModules.ts).
import "./runtime/lazyModules";
import { main } from "./cli/commands/plan";
import { runEntry } from "./cli/run";

runEntry(main);
