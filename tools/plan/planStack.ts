import { ProgramError } from "../cli/errors";
import { loadPolicyConfig, loadPolicyPack } from "../engine/pack";
import { evaluatePolicies, EvaluationResult, PolicyPackDefinition } from "../engine/policyEngine";
import { PlannedResource } from "../engine/resource";
import { repoRoot } from "../runtime/paths";
import { runProgram } from "../runtime/program";
import { secretStrings } from "../runtime/propertyValues";
import { readProject, readStackConfig, StackFileConfig } from "../runtime/stackFiles";
import { buildPlanDocument, PlanDocument } from "./document";
import { setConfigOrigins } from "./origins";

export interface PlanOptions {
    stack: string;
    projectDir?: string;
    policyConfigFile?: string;
    /** A stack file to read instead of Pulumi.<stack>.yaml, e.g. a proposed change. */
    stackFile?: string;
    /** Replaces the stack file's config (tests use it to inject sentinel secrets). */
    config?: { values: Record<string, string>; secretKeys: string[] };
    /**
     * Runs the program through this instead of directly: the promotion plans the same config under
     * two policy configs (its pre-flight, then each update) and runs the program once per config.
     */
    runProgram?: (options: Parameters<typeof runProgram>[0]) => ReturnType<typeof runProgram>;
}

export interface PlanResult {
    document: PlanDocument;
    /** The registered resources with their real inputs, secrets included: for in-process checks, never for output. */
    resources: PlannedResource[];
    evaluation: EvaluationResult;
    /** The pack it was evaluated against (its policies are SARIF's rules). */
    pack: PolicyPackDefinition;
    /** Every secret string this run saw, for callers that must prove none leaked. */
    secretValues: string[];
}

/** Runs the stack's program offline, evaluates the policy pack on what it declares, and builds the plan. */
export async function planStack(options: PlanOptions): Promise<PlanResult> {
    const project = readProject(options.projectDir ?? repoRoot);
    const stackConfig: StackFileConfig = options.config ?? readStackConfig(project, options.stack, options.stackFile);
    const { config: policyConfig } = loadPolicyConfig(options.stack, options.policyConfigFile);
    const pack = loadPolicyPack();

    const run = await (options.runProgram ?? runProgram)({
        project: project.name,
        stack: options.stack,
        program: { entry: project.entry },
        config: stackConfig.values,
        secretKeys: stackConfig.secretKeys,
    });
    const configSecrets = stackConfig.secretKeys.map(k => stackConfig.values[k]).filter((v): v is string => typeof v === "string");
    const secretValues = [...configSecrets, ...run.resources.flatMap(r => secretStrings(r.inputs, r.secretPaths))];
    if (run.error) {
        const scrub = (text: string) => secretValues.reduce((acc, s) => (s.length >= 6 ? acc.split(s).join("[secret]") : acc), text);
        throw new ProgramError(scrub(run.error.message), run.error);
    }

    if (stackConfig.source) setConfigOrigins(run.resources, run.configTags, stackConfig.source, project.name);
    const evaluation = await evaluatePolicies(pack, run.resources, policyConfig);
    const document = buildPlanDocument({
        project: project.name,
        stack: options.stack,
        source: "program",
        pack,
        resources: run.resources,
        outputs: run.outputs,
        evaluation,
        secretValues,
    });
    return { document, resources: run.resources, evaluation, pack, secretValues };
}
