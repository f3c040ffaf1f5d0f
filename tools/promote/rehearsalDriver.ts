import * as fs from "fs";
import { parseDocument } from "yaml";
import { blueGreenPositions, deploymentsSchema } from "../../stacks/config/deployments";
import { UsageError } from "../cli/errors";
import { planStack } from "../plan/planStack";
import { repoRoot } from "../runtime/paths";
import { readProject, readStackConfig, StackFileConfig } from "../runtime/stackFiles";
import { StackDriver, StackState, StepUpdate, UpdatePurpose, UpdateResult } from "./types";
import { promotionPolicyConfigs } from "./window";

export interface RehearsalDriverOptions {
    stack: string;
    /** The stack file to start from (default Pulumi.<stack>.yaml). */
    stackFile?: string;
    /** Write each applied step back into `stackFile`, as the live run writes the stack's config (so a rehearsal can resume). */
    writeBack?: boolean;
}

/**
 * Rehearsal: each update is the offline plan of the stack with that step, checked by the whole pack.
 * The deployment window is the state machine's to check at the simulated time, so the plans run under
 * the rollback policy config (window advisory); every other policy is enforced as in the live run.
 */
export function rehearsalStackDriver(options: RehearsalDriverOptions): StackDriver {
    const project = readProject(repoRoot);
    const config: StackFileConfig = readStackConfig(project, options.stack, options.stackFile);
    const key = (section: string) => `${project.name}:${section}`;

    const deployments = () => {
        const text = config.values[key("deployments")];
        const parsed = deploymentsSchema.safeParse(text === undefined ? undefined : JSON.parse(text));
        if (!parsed.success) throw new UsageError(`${options.stack}: ${key("deployments")} is not a valid deployments section; run npm run plan -- --stack ${options.stack} for the details`);
        return parsed.data;
    };

    return {
        async read(services: string[]): Promise<StackState> {
            const positions = blueGreenPositions(deployments());
            const unknown = services.filter(s => !positions[s]);
            if (unknown.length) {
                throw new UsageError(`--services: ${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not a blue-green service of ${options.stack} (blue-green there: ${Object.keys(positions).join(", ") || "none"})`);
            }
            const namespace = (JSON.parse(config.values[key("eks")] ?? "{}") as { namespace?: string }).namespace ?? "";
            const chosen = services.length ? services : Object.keys(positions);
            return { namespace, services: chosen.map(service => ({ service, ...positions[service] })) };
        },

        async apply(updates: StepUpdate[], purpose: UpdatePurpose, message: string): Promise<UpdateResult> {
            const raw = JSON.parse(config.values[key("deployments")]) as { services: Record<string, { blueGreen: { step: number; finalize?: boolean } }> };
            for (const u of updates) Object.assign(raw.services[u.service].blueGreen, { step: u.step, finalize: u.finalize });
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
            if (options.writeBack && options.stackFile) writeSteps(options.stackFile, project.name, updates);
            return { ok: true, summary };
        },
    };
}

/** Sets each service's step and finalize in a stack file, keeping its comments and layout. */
export function writeSteps(file: string, projectName: string, updates: StepUpdate[]): void {
    const document = parseDocument(fs.readFileSync(file, "utf8"));
    for (const u of updates) {
        const at = ["config", `${projectName}:deployments`, "services", u.service, "blueGreen"];
        document.setIn([...at, "step"], u.step);
        if (u.finalize || document.hasIn([...at, "finalize"])) document.setIn([...at, "finalize"], u.finalize);
    }
    fs.writeFileSync(file, document.toString());
}
