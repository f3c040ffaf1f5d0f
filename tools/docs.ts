// npm run docs: refreshes policy/platform/, then regenerates the policy reference in docs/policies.md.
import { main } from "./cli/commands/docs";
import { runEntry } from "./cli/run";

runEntry(main);
