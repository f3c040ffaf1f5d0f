import { loadPolicyConfig, loadPolicyPack } from "../../engine/pack";
import { evaluatePolicies, knownStacks } from "../../engine/policyEngine";
import { PlannedResource } from "../../engine/resource";
import { buildPlanDocument } from "../../plan/document";
import { resourcesFromManifests, resourcesFromPlan } from "../../plan/manifests";
import { repoRoot, sourcePath } from "../../runtime/paths";
import { readProject } from "../../runtime/stackFiles";
import { UsageError } from "../errors";
import { checkDistinctTargets, checkReportTarget, CliIo, emitReports, parseCli, processIo, runCli } from "../run";

export const usage = [
    "Usage: npm run policy -- check FILE... [--stack NAME] [--json FILE] [--markdown FILE] [--sarif FILE] [--policy-config FILE]",
    "  FILE is Kubernetes YAML (several documents, or a List, allowed) or a plan JSON from `npm run plan -- --json`.",
    "  --stack names the stack whose policy config applies: one the pack knows as staging or production",
    "          (stagingStacks / productionStacks); required for manifests, defaults to a plan's own stack.",
    "  --sarif writes the results as SARIF 2.1.0 for GitHub code scanning, each at its manifest's document line",
    "          (or, for a plan, at the stack file's line of the config key the plan recorded).",
    "  Render a chart first, e.g. `helm template ./chart > rendered/app.yaml` (a failed render leaves an empty file, which is refused).",
].join("\n");

/** `npm run policy -- check`: holds Kubernetes YAML, or a plan JSON, to the pack; returns the exit code. */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
    return runCli(usage, io, async () => {
        const { values, positionals } = parseCli(
            argv,
            {
                stack: { type: "string" },
                json: { type: "string" },
                markdown: { type: "string" },
                sarif: { type: "string" },
                "policy-config": { type: "string" },
            },
            true,
        );
        const [command, ...files] = positionals;
        if (command !== "check") throw new UsageError(command ? `Unknown command "${command}"` : "A command is required");
        if (files.length === 0) throw new UsageError("check needs at least one file");
        checkReportTarget(values.json, "--json");
        checkReportTarget(values.markdown, "--markdown");
        checkReportTarget(values.sarif, "--sarif");
        checkDistinctTargets(
            { "--json": values.json, "--markdown": values.markdown, "--sarif": values.sarif },
            { ...Object.fromEntries(files.map(f => [`the checked file ${f}`, f])), "the --policy-config": values["policy-config"] },
        );

        const project = readProject(repoRoot).name;
        const planFiles = files.filter(f => f.endsWith(".json"));
        const manifestFiles = files.filter(f => !f.endsWith(".json"));
        const planned = planFiles.map(resourcesFromPlan);
        const stack = values.stack ?? planned[0]?.document.stack;
        if (!stack) throw new UsageError("--stack is required when checking manifests");
        // A plan is judged under its own stack's config: a production plan held to staging's would pass rules it breaks.
        const other = planned.find(p => p.document.stack !== stack);
        if (other) {
            throw new UsageError(
                `${planFiles[planned.indexOf(other)]} is a plan of stack "${other.document.stack}", not "${stack}"` +
                    (values.stack
                        ? "; leave out --stack (a plan is checked as its own stack) or check it with --stack " + other.document.stack
                        : "; check each stack's plans in their own run"),
            );
        }
        const pack = loadPolicyPack();
        const policyConfig = loadPolicyConfig(stack, values["policy-config"]).config;
        // An unknown stack would be judged as neither staging nor production: no segregation rule would apply.
        const known = knownStacks(pack, policyConfig);
        if (!known.includes(stack)) {
            throw new UsageError(
                `Unknown stack "${stack}": the policy pack knows ${known.join(", ")} (stagingStacks / productionStacks in its config)`,
            );
        }
        const resources: PlannedResource[] = [
            ...planned.flatMap(p => p.resources),
            ...resourcesFromManifests(manifestFiles, project, stack),
        ];

        const evaluation = await evaluatePolicies(pack, resources, policyConfig);
        const document = buildPlanDocument({
            project,
            stack,
            source: manifestFiles.length > 0 ? "manifests" : "plan",
            pack,
            resources,
            outputs: {},
            evaluation,
            secretValues: [],
        });
        return emitReports(io, document, {
            json: values.json,
            markdown: values.markdown,
            sarif: values.sarif
                ? { file: values.sarif, pack, options: { command: "policy-check", fallbackFile: sourcePath(files[0]) } }
                : undefined,
        });
    });
}
