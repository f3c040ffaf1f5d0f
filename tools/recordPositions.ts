// npm run record-positions -- --positions POSITIONS.json --release RELEASE.yaml --stack-file Pulumi.production.yaml [--summary FILE.md]
// Exit 0 done, 2 bad input. See tools/cli/commands/recordPositions.ts and docs/runbook.md.
import { main } from "./cli/commands/recordPositions";
import { runEntry } from "./cli/run";

runEntry(main);
