import * as fs from "fs";
import * as path from "path";
import { packEnforcementLevel, packName, policies } from "../../policy/pack";
import { PlannedResource, runProgram } from "../runtime/program";
import { buildPlanDocument, PlanDocument } from "./document";
import { evaluatePolicies, EvaluationResult, PolicyConfigFile, PolicyPackDefinition } from "../engine/policyEngine";
import { secretStrings } from "../runtime/propertyValues";
import { readProject, readStackConfig, UsageError } from "../runtime/stackFiles";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const policyDir = path.join(repoRoot, "policy");

/** The pack as the engine would serve it: its version comes from policy/package.json. */
export function loadPolicyPack(): PolicyPackDefinition {
    const { version } = JSON.parse(fs.readFileSync(path.join(policyDir, "package.json"), "utf8")) as { version: string };
    return { name: packName, version, enforcementLevel: packEnforcementLevel, policies };
}

/** The policy config for a stack: an explicit file, else policy/config/<stack>.json if present. */
export function loadPolicyConfig(stack: string, file?: string): { config: PolicyConfigFile; file?: string } {
    const candidate = file ?? path.join(policyDir, "config", `${stack}.json`);
    if (!fs.existsSync(candidate)) {
        if (file) throw new UsageError(`Policy config file ${file} does not exist`);
        return { config: {} };
    }
    try {
        return { config: JSON.parse(fs.readFileSync(candidate, "utf8")) as PolicyConfigFile, file: candidate };
    } catch (e) {
        throw new UsageError(`Policy config file ${candidate} is not valid JSON: ${(e as Error).message}`);
    }
}

export interface PlanOptions {
    stack: string;
    projectDir?: string;
    policyConfigFile?: string;
    /** A stack file to read instead of Pulumi.<stack>.yaml, e.g. a proposed change. */
    stackFile?: string;
    /** Replaces the stack file's config (tests use it to inject sentinel secrets). */
    config?: { values: Record<string, string>; secretKeys: string[] };
}

export interface PlanResult {
    document: PlanDocument;
    /** The registered resources with their real inputs, secrets included: for in-process checks, never for output. */
    resources: PlannedResource[];
    evaluation: EvaluationResult;
    /** Every secret string this run saw, for callers that must prove none leaked. */
    secretValues: string[];
}

/** Thrown when the program could not run to completion (invalid config or a failure in the program). */
export class ProgramError extends Error {
    constructor(
        message: string,
        readonly cause: Error,
    ) {
        super(message);
        this.name = "ProgramError";
    }
}

/** Runs the stack's program offline, evaluates the policy pack on what it declares, and builds the plan. */
export async function planStack(options: PlanOptions): Promise<PlanResult> {
    const project = readProject(options.projectDir ?? repoRoot);
    const stackConfig = options.config ?? readStackConfig(project, options.stack, options.stackFile);
    const { config: policyConfig } = loadPolicyConfig(options.stack, options.policyConfigFile);
    const pack = loadPolicyPack();

    const run = await runProgram({
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
    return { document, resources: run.resources, evaluation, secretValues };
}
