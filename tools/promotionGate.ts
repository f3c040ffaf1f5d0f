// npm run promotion-gate -- --history FILE --sha SHA [--plan FILE --staging-outputs FILE [--production-outputs FILE]]
// Exit 0 when production may be promoted, 1 when it may not, 2 on usage errors.
//   --history             `pulumi stack history --stack staging --json`: staging's last successful update ran SHA
//   --plan                the offline plan of production at SHA (`npm run plan -- --stack production --json`)
//   --staging-outputs     `pulumi stack output --stack staging --json`
//   --production-outputs  `pulumi stack output --stack production --json` (omit, or `{}`, before the first up)
// With --plan, every image production would run must be one staging runs or production already runs.
import { main } from "./cli/commands/promotionGate";

void main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
});
