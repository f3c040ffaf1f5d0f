// npm run promotion-gate -- --history FILE --sha SHA [--plan FILE --staging-outputs FILE [--production-outputs FILE]]
//                          [--plan FILE --evidence DIR [--summary FILE]]
// Exit 0 when production may be promoted, 1 when it may not, 2 on usage errors.
//   --history             `pulumi stack history --stack staging --json`: staging's last successful update ran SHA
//   --plan                the offline plan of production at SHA (`npm run plan -- --stack production --json`)
//   --staging-outputs     `pulumi stack output --stack staging --json`
//   --production-outputs  `pulumi stack output --stack production --json` (omit, or `{}`, before the first up)
//   --evidence            a directory of release evidence, `<DIR>/<64 hex>/{trivy.json,k6-summary.json}`
//   --summary             where to write a markdown summary of the evidence verdicts (the job summary)
//   --evidence-sources    print `<hex> <s3 uri>` for each digest whose evidence the gate needs, and exit
// With --plan, every image production would run must be one staging runs or production already runs;
// with --evidence, every image production would run and does not already run must have passing evidence.
// The evidence limits and store come from the releaseEvidence section of Pulumi.production.yaml.
// First: the SDK need not load its Automation API to judge a promotion (tools/runtime/lazyModules.ts).
import "./runtime/lazyModules";
import { main } from "./cli/commands/promotionGate";
import { runEntry } from "./cli/run";

runEntry(main);
