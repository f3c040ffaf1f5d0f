import * as fs from "fs";
import { parseDocument } from "yaml";
import { planStack } from "../plan/planStack";
import { StackFileConfig } from "../runtime/stackFiles";
import { positionsFromDeployments, selectServices } from "./stackState";
import { PositionUpdate, StackDriver, StackState, UpdatePurpose, UpdateResult } from "./types";
import { promotionPolicyConfigs } from "./window";

export interface RehearsalDriverOptions {
    stack: string;
    /** The project's name: config keys are `<project>:<section>`. */
    project: string;
    /** The stack's config as the caller read it (`readStackConfig`): the rehearsal starts from it, and never changes the caller's copy. */
    config: StackFileConfig;
    /** The stack file `config` was read from, when it is not Pulumi.<stack>.yaml; with `writeBack`, each applied update is written into it. */
    stackFile?: string;
    /** Write each applied update back into `stackFile`, as the live run writes the stack's config (so a rehearsal can resume). */
    writeBack?: boolean;
}

/**
 * Rehearsal: each update is the offline plan of the stack at those positions, checked by the whole pack.
 * The deployment window is the state machine's to check at the simulated time, so the plans run under
 * the rollback policy config (window advisory); every other policy is enforced as in the live run.
 */
export function rehearsalStackDriver(options: RehearsalDriverOptions): StackDriver {
    const config: StackFileConfig = { values: { ...options.config.values }, secretKeys: [...options.config.secretKeys] };
    const key = (section: string) => `${options.project}:${section}`;

    return {
        async read(services: string[]): Promise<StackState> {
            const text = config.values[key("deployments")];
            const positions = positionsFromDeployments(options.stack, key("deployments"), text === undefined ? undefined : JSON.parse(text));
            const namespace = (JSON.parse(config.values[key("eks")] ?? "{}") as { namespace?: string }).namespace ?? "";
            return { namespace, services: selectServices(options.stack, positions, services) };
        },

        async apply(updates: PositionUpdate[], purpose: UpdatePurpose, message: string): Promise<UpdateResult> {
            const raw = JSON.parse(config.values[key("deployments")]) as { services: Record<string, { blueGreen: { weight: number; finalize?: boolean } }> };
            for (const u of updates) Object.assign(raw.services[u.service].blueGreen, { weight: u.weight, finalize: u.finalize });
            const values = { ...config.values, [key("deployments")]: JSON.stringify(raw) };
            let summary: string;
            try {
                const { document } = await planStack({ stack: options.stack, config: { values, secretKeys: config.secretKeys }, policyConfigFile: promotionPolicyConfigs.rollback });
                if (!document.summary.passed) {
                    const violation = document.policyResults.violations.find(v => v.enforcementLevel === "mandatory");
                    const detail = violation ? `${violation.policyName}: ${violation.detail}` : `policy error: ${document.policyResults.errors[0]?.message ?? "unknown"}`;
                    return { ok: false, summary: `offline plan refused by the pack (${purpose}: ${message}): ${detail}` };
                }
                summary = `offline plan: ${document.summary.resources} resources, the pack passed`;
            } catch (e) {
                return { ok: false, summary: `offline plan failed: ${(e as Error).message.split("\n").slice(0, 2).join(" ")}` };
            }
            config.values = values;
            if (options.writeBack && options.stackFile) writePositions(options.stackFile, options.project, updates);
            return { ok: true, summary };
        },
    };
}

/** Sets each service's weight and finalize in a stack file, keeping its comments and layout. */
export function writePositions(file: string, projectName: string, updates: PositionUpdate[]): void {
    const document = parseDocument(fs.readFileSync(file, "utf8"));
    for (const u of updates) {
        const at = ["config", `${projectName}:deployments`, "services", u.service, "blueGreen"];
        document.setIn([...at, "weight"], u.weight);
        if (u.finalize || document.hasIn([...at, "finalize"])) document.setIn([...at, "finalize"], u.finalize);
    }
    fs.writeFileSync(file, document.toString());
}
