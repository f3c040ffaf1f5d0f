// npm run policy -- check FILE... [--stack NAME] [--json FILE] [--markdown FILE] [--policy-config FILE]
// Holds Kubernetes YAML manifests, or a plan written by `plan --json`, to the same policy pack.
// Exit 0 passed, 1 mandatory violations or policy errors, 2 usage.
import { checkReportTarget, cliMain, emitReports, parseCli } from "./lib/cli";
import { resourcesFromManifests, resourcesFromPlan } from "./lib/manifests";
import { PlannedResource } from "./lib/mockProgram";
import { buildPlanDocument } from "./lib/planDocument";
import { evaluatePolicies, knownStacks } from "./lib/policyEngine";
import { loadPolicyConfig, loadPolicyPack, repoRoot } from "./lib/planStack";
import { readProject, UsageError } from "./lib/stackFiles";

const usage = [
    "Usage: npm run policy -- check FILE... [--stack NAME] [--json FILE] [--markdown FILE] [--policy-config FILE]",
    "  FILE is Kubernetes YAML (several documents, or a List, allowed) or a plan JSON from `npm run plan -- --json`.",
    "  --stack names the stack whose policy config applies: one the pack knows as staging or production",
    "          (stagingStacks / productionStacks); required for manifests, defaults to a plan's own stack.",
    "  Render a chart first, e.g. `helm template ./chart > rendered/app.yaml` (a failed render leaves an empty file, which is refused).",
].join("\n");

/** `policy check` with these arguments; returns the exit code. */
export function main(argv: string[]): Promise<number> {
    return cliMain(usage, async () => {
        const { values, positionals } = parseCli(
            argv,
            { stack: { type: "string" }, json: { type: "string" }, markdown: { type: "string" }, "policy-config": { type: "string" } },
            true,
        );
        const [command, ...files] = positionals;
        if (command !== "check") throw new UsageError(command ? `Unknown command "${command}"` : "A command is required");
        if (files.length === 0) throw new UsageError("check needs at least one file");
        checkReportTarget(values.json, "--json");
        checkReportTarget(values.markdown, "--markdown");

        const project = readProject(repoRoot).name;
        const planFiles = files.filter(f => f.endsWith(".json"));
        const manifestFiles = files.filter(f => !f.endsWith(".json"));
        const planned = planFiles.map(resourcesFromPlan);
        const stack = values.stack ?? planned[0]?.document.stack;
        if (!stack) throw new UsageError("--stack is required when checking manifests");
        const pack = loadPolicyPack();
        const policyConfig = loadPolicyConfig(stack, values["policy-config"]).config;
        // An unknown stack would be judged as neither staging nor production: no segregation rule would apply.
        const known = knownStacks(pack, policyConfig);
        if (!known.includes(stack)) {
            throw new UsageError(`Unknown stack "${stack}": the policy pack knows ${known.join(", ")} (stagingStacks / productionStacks in its config)`);
        }
        const resources: PlannedResource[] = [...planned.flatMap(p => p.resources), ...resourcesFromManifests(manifestFiles, project, stack)];

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
        return emitReports(document, { json: values.json, markdown: values.markdown });
    });
}

if (require.main === module) void main(process.argv.slice(2)).then(code => (process.exitCode = code));
