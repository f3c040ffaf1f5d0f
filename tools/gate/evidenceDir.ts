// Reads a directory of release evidence (`<dir>/<64 hex>/trivy.json`, `k6-summary.json`) and the
// gate's settings from the production stack file; the judging itself is pure (./evidence).
import * as fs from "fs";
import * as path from "path";
import { formatProblems, problemsFromZod } from "../../stacks/config/errors";
import { ReleaseEvidenceConfig, releaseEvidenceSchema } from "../../stacks/config/releaseEvidence";
import { UsageError } from "../cli/errors";
import { readInputFile } from "../cli/inputFiles";
import { readProject, readStackConfig } from "../runtime/stackFiles";
import { DigestVerdict, digestsToJudge, EvidenceFile, EvidencePolicy, evidenceFiles, judgeDigest } from "./evidence";

function readEvidenceFile(file: string): EvidenceFile {
    if (!fs.existsSync(file)) return { path: file };
    return { path: file, text: readInputFile(file, "Evidence file"), mtimeMs: fs.statSync(file).mtimeMs };
}

/** Judges the evidence of every digest among `images`; a usage error when `dir` is not a directory. */
export function judgeEvidenceDir(dir: string, images: string[], policy: EvidencePolicy, now: Date): DigestVerdict[] {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new UsageError(`--evidence ${dir}: no such directory (sync the candidates' evidence into it first)`);
    }
    return digestsToJudge(images).map(({ digest, images: refs }) => {
        const hex = digest.slice("sha256:".length);
        return judgeDigest(
            {
                digest,
                images: refs,
                trivy: readEvidenceFile(path.join(dir, hex, evidenceFiles.trivy)),
                k6: readEvidenceFile(path.join(dir, hex, evidenceFiles.k6)),
            },
            policy,
            now,
        );
    });
}

/** The production stack's releaseEvidence section, validated with the program's own schema. */
export function readReleaseEvidenceConfig(projectDir: string, stack = "production"): ReleaseEvidenceConfig {
    const project = readProject(projectDir);
    const key = `${project.name}:releaseEvidence`;
    const text = readStackConfig(project, stack).values[key];
    if (text === undefined) {
        throw new UsageError(
            `Pulumi.${stack}.yaml has no ${key} section: the gate reads its limits and the evidence store from it (docs/config.md)`,
        );
    }
    let value: unknown = text;
    try {
        value = JSON.parse(text);
    } catch {
        // A plain string in the stack file: the schema reports it as the wrong type.
    }
    const result = releaseEvidenceSchema.safeParse(value, { reportInput: true });
    if (!result.success) throw new UsageError(formatProblems(stack, problemsFromZod(key, releaseEvidenceSchema, result.error)));
    return result.data;
}

/** `s3://bucket/prefix/<hex>/` of each digest: where `aws s3 sync` fetches its evidence from. */
export function evidenceSources(config: ReleaseEvidenceConfig, images: string[]): { hex: string; uri: string }[] {
    return digestsToJudge(images).map(({ digest }) => {
        const hex = digest.slice("sha256:".length);
        return { hex, uri: `s3://${config.store.bucketName}/${config.store.prefix}/${hex}/` };
    });
}
