// npm run promotion-gate -- --history FILE --sha SHA [--plan FILE --staging-outputs FILE [--production-outputs FILE]]
// Exit 0 when production may be promoted, 1 when it may not, 2 on usage errors.
//   --history             `pulumi stack history --stack staging --json`: staging's last successful update ran SHA
//   --plan                the offline plan of production at SHA (`npm run plan -- --stack production --json`)
//   --staging-outputs     `pulumi stack output --stack staging --json`
//   --production-outputs  `pulumi stack output --stack production --json` (omit, or `{}`, before the first up)
// With --plan, every image production would run must be one staging runs or production already runs.
import * as fs from "fs";
import { CliIo, EXIT, parseCli, processIo, runAsCommand, runCli } from "./lib/cli";
import { readPlanDocument } from "./lib/manifests";
import { deployedImagesOf, stagingGateProblem, StackUpdate, unprovenImages } from "./lib/promotionGate";
import { UsageError } from "./lib/stackFiles";

const usage =
    "Usage: npm run promotion-gate -- --history FILE --sha SHA [--plan FILE --staging-outputs FILE [--production-outputs FILE]]\n" +
    "  --history: pulumi stack history --stack staging --json; --plan: npm run plan -- --stack production --json;\n" +
    "  --staging-outputs / --production-outputs: pulumi stack output --stack <stack> --json";

function readJson(file: string, what: string): unknown {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`${file} is not ${what}: ${(e as Error).message}`);
    }
}

/** The deployedImages of stack outputs read from `file`; a usage error when they are not there. */
function imagesIn(file: string, outputs: unknown): string[] {
    try {
        return deployedImagesOf(outputs, file);
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
}

/** The command, given its arguments (after `--`) and where to write; resolves to its exit code. */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
    return runCli(
        usage,
        async () => {
            const { values } = parseCli(argv, {
                history: { type: "string" },
                sha: { type: "string" },
                plan: { type: "string" },
                "staging-outputs": { type: "string" },
                "production-outputs": { type: "string" },
            });
            if (!values.history || !values.sha) throw new UsageError("--history and --sha are required");
            if (Boolean(values.plan) !== Boolean(values["staging-outputs"])) throw new UsageError("--plan and --staging-outputs go together");
            const history = readJson(values.history, "stack history JSON");
            if (!Array.isArray(history)) throw new UsageError(`${values.history} is not a JSON array of updates`);

            const problem = stagingGateProblem(history as StackUpdate[], values.sha);
            if (problem) {
                io.stderr(`Promotion refused: ${problem}. Fix: let the staging deploy of this commit finish (push to main), then re-run this job.\n`);
                return EXIT.violations;
            }
            io.stdout(`Staging runs ${values.sha}.\n`);

            if (values.plan && values["staging-outputs"]) {
                const candidate = imagesIn(values.plan, readPlanDocument(values.plan).outputs);
                const stagingFile = values["staging-outputs"];
                const staging = imagesIn(stagingFile, readJson(stagingFile, "stack outputs JSON"));
                const productionFile = values["production-outputs"];
                const production = productionFile ? imagesIn(productionFile, readJson(productionFile, "stack outputs JSON")) : [];
                const unproven = unprovenImages(candidate, staging, production);
                if (unproven.length > 0) {
                    io.stderr(
                        `Promotion refused: production would run ${unproven.length} image(s) that staging does not run and production does not already run:\n` +
                            unproven.map(image => `  ${image}\n`).join("") +
                            "Fix: promote only digests from staging's outputs (pulumi stack output imageDigests --stack staging, or deployedImages) " +
                            "into Pulumi.production.yaml, after staging has run them.\n",
                    );
                    return EXIT.violations;
                }
                io.stdout(`Every image production would run (${candidate.length}) is one staging runs or production already runs.\n`);
            }
            io.stdout("Production may be promoted.\n");
            return EXIT.passed;
        },
        io,
    );
}

if (require.main === module) runAsCommand(main);
