// npm run sync-platform: writes policy/platform/, the pack's own copy of platform/.
import { main } from "./cli/commands/syncPlatform";

void main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
});
