import * as fs from "fs";
import * as path from "path";
import { digestOf } from "../../gate/evidence";
import { evidenceSources, judgeEvidenceDir, readReleaseEvidenceConfig } from "../../gate/evidenceDir";
import { renderEvidenceMarkdown, renderEvidenceText } from "../../gate/evidenceSummary";
import { deployedImagesOf, stagingGateProblem, StackUpdate, unprovenImages } from "../../gate/promotionGate";
import { readPlanDocument } from "../../plan/document";
import { repoRoot } from "../../runtime/paths";
import { UsageError } from "../errors";
import { readJsonInput } from "../inputFiles";
import { CliIo, EXIT, parseCli, processIo, runCli } from "../run";

export const usage =
    "Usage: npm run promotion-gate -- --history FILE --sha SHA [--plan FILE --staging-outputs FILE [--production-outputs FILE]]\n" +
    "                                 [--plan FILE [--production-outputs FILE] --evidence DIR [--summary FILE] | --evidence-sources]\n" +
    "  --history: pulumi stack history --stack staging --json; --plan: npm run plan -- --stack production --json;\n" +
    "  --staging-outputs / --production-outputs: pulumi stack output --stack <stack> --json;\n" +
    "  --evidence: <DIR>/<64 hex>/trivy.json and k6-summary.json per digest (docs/runbook.md, Release evidence)";

function readJson(file: string, flag: string, what: string): unknown {
    return readJsonInput(file, flag, what);
}

/** The deployedImages of stack outputs read from `file`; a usage error when they are not there. */
function imagesIn(file: string, outputs: unknown): string[] {
    try {
        return deployedImagesOf(outputs, file);
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
}

/** `npm run promotion-gate`: may production be promoted to this commit? Returns the exit code. */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
    return runCli(usage, io, async () => {
        const { values } = parseCli(argv, {
            history: { type: "string" },
            sha: { type: "string" },
            plan: { type: "string" },
            "staging-outputs": { type: "string" },
            "production-outputs": { type: "string" },
            evidence: { type: "string" },
            summary: { type: "string" },
            "evidence-sources": { type: "boolean" },
        });
        const evidenceMode = Boolean(values.evidence) || Boolean(values["evidence-sources"]);
        if (Boolean(values.history) !== Boolean(values.sha) || (!values.history && !evidenceMode)) {
            throw new UsageError("--history and --sha are required (or --plan with --evidence)");
        }
        if (values["staging-outputs"] ? !values.plan : values.plan && !evidenceMode) {
            throw new UsageError("--plan and --staging-outputs go together (or --plan with --evidence)");
        }
        if (evidenceMode && !values.plan) {
            throw new UsageError(
                "--evidence and --evidence-sources need --plan: the evidence is checked for the images the plan would run",
            );
        }
        if (values.summary && !values.evidence) throw new UsageError("--summary writes the evidence verdicts: it needs --evidence");

        const productionFile = values["production-outputs"];
        const production = productionFile
            ? imagesIn(productionFile, readJson(productionFile, "--production-outputs", "stack outputs JSON"))
            : [];
        const candidate = values.plan ? imagesIn(values.plan, readPlanDocument(values.plan).outputs) : [];
        // Images production already runs were judged when they were promoted: only new digests need evidence.
        const running = new Set(production.map(digestOf));
        const newImages = candidate.filter(image => !running.has(digestOf(image)));

        if (values["evidence-sources"]) {
            const config = readReleaseEvidenceConfig(repoRoot);
            for (const { hex, uri } of evidenceSources(config, newImages)) io.stdout.write(`${hex} ${uri}\n`);
            return EXIT.passed;
        }

        let refused = false;
        if (values.history && values.sha) {
            const history = readJson(values.history, "--history", "stack history JSON");
            if (!Array.isArray(history)) throw new UsageError(`${values.history} is not a JSON array of updates`);
            history.forEach((update: unknown, index) => {
                if (update === null || typeof update !== "object" || Array.isArray(update)) {
                    throw new UsageError(
                        `${values.history}: entry ${index} of the stack history is ${update === null ? "null" : Array.isArray(update) ? "an array" : `a ${typeof update}`}; ` +
                            "expected an update object ({kind, result, version, environment}, as pulumi stack history --json writes)",
                    );
                }
            });
            const problem = stagingGateProblem(history as StackUpdate[], values.sha);
            if (problem) {
                io.stderr.write(
                    `Promotion refused: ${problem}. Fix: let the staging deploy of this commit finish (push to main), then re-run this job.\n`,
                );
                return EXIT.violations;
            }
            io.stdout.write(`Staging runs ${values.sha}.\n`);
        }

        if (values.plan && values["staging-outputs"]) {
            const stagingFile = values["staging-outputs"];
            const staging = imagesIn(stagingFile, readJson(stagingFile, "--staging-outputs", "stack outputs JSON"));
            const unproven = unprovenImages(candidate, staging, production);
            if (unproven.length > 0) {
                io.stderr.write(
                    `Promotion refused: production would run ${unproven.length} image(s) that staging does not run and production does not already run:\n` +
                        unproven.map(image => `  ${image}\n`).join("") +
                        "Fix: promote only digests from staging's outputs (pulumi stack output imageDigests --stack staging, or deployedImages) " +
                        "into Pulumi.production.yaml, after staging has run them.\n",
                );
                refused = true;
            } else {
                io.stdout.write(`Every image production would run (${candidate.length}) is one staging runs or production already runs.\n`);
            }
        }

        if (values.evidence) {
            const config = readReleaseEvidenceConfig(repoRoot);
            const verdicts = judgeEvidenceDir(values.evidence, newImages, config, new Date());
            if (values.summary) {
                fs.mkdirSync(path.dirname(path.resolve(values.summary)), { recursive: true });
                fs.appendFileSync(values.summary, renderEvidenceMarkdown(verdicts));
            }
            const failing = verdicts.filter(v => !v.passed);
            if (failing.length > 0) {
                io.stderr.write(
                    `Promotion refused: ${failing.length} of ${verdicts.length} new image(s) lack passing release evidence:\n` +
                        renderEvidenceText(verdicts) +
                        "Fix: publish the digest's Trivy report and staging k6 summary (docs/runbook.md, Release evidence), fix the findings or the performance, " +
                        "or accept a finding in releaseEvidence.scan.allowList with a reason and an expiry.\n",
                );
                refused = true;
            } else {
                io.stdout.write(renderEvidenceText(verdicts));
                io.stdout.write(`Every new image (${verdicts.length}) has a passing scan and staging load test.\n`);
            }
        }
        if (refused) return EXIT.violations;
        io.stdout.write("Production may be promoted.\n");
        return EXIT.passed;
    });
}
