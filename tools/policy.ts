// npm run policy -- check FILE... [--stack NAME] [--json FILE] [--markdown FILE] [--policy-config FILE]
// Holds Kubernetes YAML manifests, or a plan written by `plan --json`, to the same policy pack.
// Exit 0 passed, 1 mandatory violations or policy errors, 2 usage.
// First: the SDK need not load its Automation API to check or plan (tools/runtime/lazyModules.ts).
import "./runtime/lazyModules";
import { main } from "./cli/commands/policy";
import { runEntry } from "./cli/run";

runEntry(main);
