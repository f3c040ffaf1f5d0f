// npm run sync-platform: writes policy/platform/, the pack's own copy of platform/.
import { main } from "./cli/commands/syncPlatform";
import { runEntry } from "./cli/run";

runEntry(main);
