// npm run promote -- --stack production [--services api,websocket] [--record FILE.jsonl] [--summary FILE.md]
//                    [--rehearse --from ISO-TIME [--prometheus URL] [--stack-file FILE]] [--rollback]
// Exit 0 promoted, 1 rolled back, 2 bad input (nothing changed), 3 withdrawn or held, 4 a rollback or withdrawal
// whose update failed. See tools/cli/commands/promote.ts and docs/runbook.md.
import { main } from "./cli/commands/promote";
import { runEntry } from "./cli/run";

runEntry(main);
