// npm run bench: what the offline tools cost, against the targets in docs/architecture.md
// (tools/bench/suite.ts). Prints numbers and asserts nothing; `--help` says what it measures.
import { main } from "./cli/commands/bench";
import { runEntry } from "./cli/run";

runEntry(main);
