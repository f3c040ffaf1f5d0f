import * as fs from "fs";
import * as path from "path";
import { packEnforcementLevel, packName, policies } from "../../policy/pack";
import { UsageError } from "../cli/errors";
import { readJsonInput } from "../cli/inputFiles";
import { repoRoot } from "../runtime/paths";
import { PolicyConfigFile, PolicyPackDefinition } from "./policyEngine";

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
    const config = readJsonInput(candidate, "Policy config file", "a policy config (JSON)");
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        throw new UsageError(
            `Policy config file ${candidate} is not a policy config: expected a JSON object of policy names; found ${Array.isArray(config) ? "an array" : JSON.stringify(config)}`,
        );
    }
    return { config: config as PolicyConfigFile, file: candidate };
}
