// npm run policy -- check FILE... [--stack NAME] [--json FILE] [--markdown FILE] [--policy-config FILE]
// Holds Kubernetes YAML manifests, or a plan written by `plan --json`, to the same policy pack.
// Exit 0 passed, 1 mandatory violations or policy errors, 2 usage.
import { CliIo, emitReports, parseCli, processIo, runAsCommand, runCli } from "./lib/cli";
import { resourcesFromManifests, resourcesFromPlan } from "./lib/manifests";
import { PlannedResource } from "./lib/mockProgram";
import { buildPlanDocument } from "./lib/planDocument";
import { evaluatePolicies } from "./lib/policyEngine";
import { loadPolicyConfig, loadPolicyPack, repoRoot } from "./lib/planStack";
import { readProject, UsageError } from "./lib/stackFiles";

const usage = [
    "Usage: npm run policy -- check FILE... [--stack NAME] [--json FILE] [--markdown FILE] [--policy-config FILE]",
    "  FILE is Kubernetes YAML (several documents allowed) or a plan JSON from `npm run plan -- --json`.",
    "  --stack names the stack whose policy config applies; required for manifests, defaults to a plan's own stack.",
].join("\n");

/** The command, given its arguments (after `--`) and where to write; resolves to its exit code. */
export function main(argv: string[], io: CliIo = processIo): Promise<number> {
    return runCli(
        usage,
        async () => {
            const { values, positionals } = parseCli(
                argv,
                { stack: { type: "string" }, json: { type: "string" }, markdown: { type: "string" }, "policy-config": { type: "string" } },
                true,
            );
            const [command, ...files] = positionals;
            if (command !== "check") throw new UsageError(command ? `Unknown command "${command}"` : "A command is required");
            if (files.length === 0) throw new UsageError("check needs at least one file");

            const project = readProject(repoRoot).name;
            const planFiles = files.filter(f => f.endsWith(".json"));
            const manifestFiles = files.filter(f => !f.endsWith(".json"));
            const planned = planFiles.map(resourcesFromPlan);
            const stack = values.stack ?? planned[0]?.document.stack;
            if (!stack) throw new UsageError("--stack is required when checking manifests");
            const resources: PlannedResource[] = [...planned.flatMap(p => p.resources), ...resourcesFromManifests(manifestFiles, project, stack)];

            const pack = loadPolicyPack();
            const evaluation = await evaluatePolicies(pack, resources, loadPolicyConfig(stack, values["policy-config"]).config);
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
            return emitReports(document, { json: values.json, markdown: values.markdown }, io);
        },
        io,
    );
}

if (require.main === module) runAsCommand(main);
