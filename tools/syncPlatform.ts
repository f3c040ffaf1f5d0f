// npm run sync-platform: writes policy/platform/, the pack's own copy of platform/.
import { syncPlatform } from "./platform/sync";

const changed = syncPlatform();
console.log(changed.length === 0 ? "policy/platform/ is up to date" : `policy/platform/: ${changed.join("; ")}`);
