import * as path from "path";
import { DeploymentWindowConfig, productionDeploymentWindow, windowProblem } from "../../policy/delivery/productionDeploymentWindow";
import { loadPolicyConfig, loadPolicyPack, policyDir } from "../engine/pack";
import { reconcilePolicyConfig } from "../engine/policyEngine";

/** The policy configs a promotion runs its updates under: advancing keeps the window mandatory, a rollback does not. */
export const promotionPolicyConfigs = {
    advance: path.join(policyDir, "config", "production-promote.json"),
    rollback: path.join(policyDir, "config", "production-rollback.json"),
} as const;

/** The policy that keeps production changes inside the deployment window (a stack policy: it fails an update after its steps ran). */
export const WINDOW_POLICY = productionDeploymentWindow.name;

/** Why a step may not start at an instant (undefined: it may), read from the same policy config the update runs under. */
export type WindowCheck = (instant: Date) => string | undefined;

/**
 * The deployment window as the production-deployment-window policy reads it from `configFile` (schema
 * defaults, then the file), so the promotion and the pack never disagree about when a step may start.
 */
export function promotionWindow(configFile: string = promotionPolicyConfigs.advance): WindowCheck {
    const { config: file } = loadPolicyConfig("production", configFile);
    const entry = reconcilePolicyConfig(loadPolicyPack(), file).config[productionDeploymentWindow.name];
    if (entry.enforcementLevel !== "mandatory") return () => undefined;
    const window = entry.properties as unknown as DeploymentWindowConfig;
    return instant => {
        const problem = windowProblem(instant, window);
        if (!problem) return undefined;
        const override = window.emergencyOverride;
        if (override && Date.parse(override.expiresAt) > instant.getTime()) return undefined;
        return problem;
    };
}
