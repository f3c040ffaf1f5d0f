import * as fs from "fs";
import { recordPositions } from "../../promote/recordPositions";
import { repoRoot } from "../../runtime/paths";
import { readProject } from "../../runtime/stackFiles";
import { UsageError } from "../errors";
import { checkReportTarget, CliIo, parseCli, processIo, runCli } from "../run";

export const usage = `Usage: npm run record-positions -- --positions POSITIONS.json --release RELEASE.yaml --stack-file Pulumi.production.yaml [--summary FILE.md]
Applies the positions a production run left deployed (the promotionState output, as \`pulumi stack output
promotionState --json\` prints it) to a stack file, changing only each service's blueGreen.weight and
finalize, and only where the file still stages the release the run promoted (RELEASE.yaml: the stack
file the run started from). The release workflow's record job runs it on main's file (docs/runbook.md).
  --summary  append the pull request's body (what is recorded, what is left and why) to FILE
Exit: 0 done (the file written when a position changed), 2 bad input.`;

export function main(argv: string[], io: CliIo = processIo): Promise<number> {
    return runCli(usage, io, async () => {
        const { values } = parseCli(argv, {
            positions: { type: "string" },
            release: { type: "string" },
            "stack-file": { type: "string" },
            summary: { type: "string" },
        });
        for (const flag of ["positions", "release", "stack-file"] as const) {
            if (!values[flag]) throw new UsageError(`--${flag} is required`);
        }
        checkReportTarget(values.summary, "--summary");
        const read = (file: string) => {
            if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist`);
            return fs.readFileSync(file, "utf8");
        };
        const [positionsFile, releaseFile, mainFile] = [
            values.positions as string,
            values.release as string,
            values["stack-file"] as string,
        ];
        const mainText = read(mainFile);
        const result = recordPositions({
            project: readProject(repoRoot).name,
            positionsJson: read(positionsFile),
            positionsFile,
            releaseText: read(releaseFile),
            releaseFile,
            mainText,
            mainFile,
        });
        if (result.text !== mainText) fs.writeFileSync(mainFile, result.text);
        for (const note of result.notes) io.stdout.write(`${note}\n`);
        if (values.summary) fs.appendFileSync(values.summary, `${result.notes.map(n => `- ${n}`).join("\n")}\n`);
        return 0;
    });
}
