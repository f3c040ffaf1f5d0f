// The stand-in CLI's engine for the live end-to-end test: each `pulumi up` is the OFFLINE PLAN of the
// stack file in its working directory (what `config set-all` just wrote there), under the
// `--policy-pack-config` it was given, applied to a fake state (each resource's inputs by URN) the way
// the engine applies a targeted update (pkg/resource/deploy/step_generator.go): the whole pack judges
// every registered resource; a targeted resource gets its new inputs, an untargeted one keeps its old
// state; creating or deleting an untargeted resource a target needs is an error. The root stack is
// always updated, so the `promotionState` output follows the config of each successful update. The
// cluster behind it is scripted: a smoke-test Job may fail, an update may fail, and the load balancer
// may follow the deployed Ingress weights or ignore them. Events are those the real CLI streams.
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { albActionAnnotationKey } from "../../platform/rollout";
import { PlannedResource } from "../../tools/engine/resource";
import { planConfig } from "../../tools/promote/positionPlans";
import { isEngineRegistered } from "../../tools/runtime/program";
import { readProject, StackFileConfig } from "../../tools/runtime/stackFiles";
import { repoRoot } from "./stackConfig";
import { FakeAnswer, FakeEngineEvent, FakePulumiCall, flagOf, flagsOf, historyEntry } from "./fakePulumi";
import { ColourWeights } from "./trafficExporter";

export interface ClusterBehaviour {
    /** Why a smoke-test Job this update creates fails, or undefined when it passes. */
    smokeFails?: (job: { service: string; name: string }) => string | undefined;
    /** Why an update fails at a resource (its URN and the provider's error), or undefined when it succeeds. */
    updateFails?: (update: {
        policyConfig: string;
        targets: string[];
        weights: Record<string, number>;
    }) => { urn: string; message: string } | undefined;
    /** The load balancer: `follow` the deployed Ingress weights, or `ignore` every change after the first state. */
    loadBalancer?: "follow" | "ignore";
}

type Op = "create" | "update" | "replace" | "same" | "delete";
const project = readProject(repoRoot);
const custom = (r: PlannedResource) => !isEngineRegistered(r) && !r.type.startsWith("pulumi:providers:");
const stepMetadata = (op: Op, r: PlannedResource, old?: PlannedResource) => ({
    op,
    urn: r.urn,
    type: r.type,
    provider: "",
    detailedDiff: null,
    ...(old
        ? { old: { type: old.type, urn: old.urn, id: old.name, parent: old.parent ?? "", inputs: old.inputs, outputs: {}, provider: "" } }
        : {}),
    new: { type: r.type, urn: r.urn, id: r.name, parent: r.parent ?? "", inputs: r.inputs, outputs: {}, provider: "" },
});

export class FakeEngine {
    /** The deployed resources' inputs, by URN. */
    readonly state = new Map<string, PlannedResource>();
    outputs: Record<string, unknown> = {};
    readonly history: unknown[] = [];
    /** Every up: its targets and whether it succeeded. */
    readonly ups: { targets: string[]; ok: boolean; policyConfig: string }[] = [];

    constructor(
        private readonly stack: string,
        /** The namespace this scenario's cluster runs in (the kubernetesNamespace output; one per scenario in the shared exporter). */
        private readonly namespace: string,
        private readonly behaviour: ClusterBehaviour,
        private readonly onLoadBalancer: (namespace: string, weights: Record<string, ColourWeights>) => Promise<void>,
    ) {}

    /** The state after a full update of `config` (the release's staging `pulumi up`, or the one before it). */
    async deploy(config: StackFileConfig, policyConfig: string): Promise<void> {
        const plan = await planConfig(this.stack, config, policyConfig);
        if (!plan.document.summary.passed) {
            throw new Error(`the initial state's plan fails: ${JSON.stringify(plan.document.policyResults.violations[0])}`);
        }
        for (const r of plan.resources.filter(custom)) this.state.set(r.urn, r);
        this.outputs = { ...plan.document.outputs, kubernetesNamespace: this.namespace };
        await this.onLoadBalancer(this.namespace, this.ingressWeights());
    }

    /** What the deployed Ingresses' weighted forward actions say, per service and colour. */
    ingressWeights(): Record<string, ColourWeights> {
        const weights: Record<string, ColourWeights> = {};
        for (const r of this.state.values()) {
            if (r.type !== "kubernetes:networking.k8s.io/v1:Ingress") continue;
            const annotations = (r.inputs.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {};
            const action = annotations[albActionAnnotationKey(r.name)];
            if (!action) continue;
            const groups = (JSON.parse(action) as { forwardConfig: { targetGroups: { serviceName: string; weight: number }[] } })
                .forwardConfig.targetGroups;
            weights[r.name] = Object.fromEntries(groups.map(g => [g.serviceName.slice(r.name.length + 1), g.weight]));
        }
        return weights;
    }

    handle = async (call: FakePulumiCall): Promise<FakeAnswer> => {
        const [a, b] = call.argv;
        if (a === "stack" && b === "select") {
            return flagOf(call.argv, "--stack") === this.stack
                ? {}
                : { stderr: `error: no stack named '${flagOf(call.argv, "--stack")}' found\n`, code: 255 };
        }
        if (a === "stack" && b === "output") return { stdout: `${JSON.stringify(this.outputs)}\n` };
        if (a === "stack" && b === "history") return { stdout: `${JSON.stringify(this.history)}\n` };
        if (a === "config" && b === "set-all") return this.setAll(call);
        if (a === "up") return this.up(call);
        return { stderr: `fake engine: unexpected command ${JSON.stringify(call.argv)}\n`, code: 2 };
    };

    /** As the CLI: `--path --plaintext key=value` pairs written into Pulumi.<stack>.yaml (numbers and booleans typed). */
    private setAll(call: FakePulumiCall): FakeAnswer {
        const file = path.join(call.cwd, `Pulumi.${this.stack}.yaml`);
        const document = parseDocument(fs.readFileSync(file, "utf8"));
        for (const pair of flagsOf(call.argv, "--plaintext")) {
            const [key, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
            const [section, ...rest] = key.split(".");
            document.setIn(
                ["config", section, ...rest],
                value === "true" ? true : value === "false" ? false : /^\d+$/.test(value) ? Number(value) : value,
            );
        }
        fs.writeFileSync(file, document.toString());
        return {};
    }

    private async up(call: FakePulumiCall): Promise<FakeAnswer> {
        const policyConfig = flagOf(call.argv, "--policy-pack-config") as string;
        const targets = flagsOf(call.argv, "--target");
        const fail = (events: FakeEngineEvent[], line: string): FakeAnswer => {
            this.ups.push({ targets, ok: false, policyConfig });
            this.history.unshift(historyEntry(this.history.length + 1, flagOf(call.argv, "--message") ?? "", {}, "failed"));
            return {
                code: 255,
                stderr: `error: ${line}\n`,
                events: [
                    { preludeEvent: { config: {} } },
                    ...events,
                    { diagnosticEvent: { message: "update failed\n", color: "never", severity: "error", prefix: "error: " } },
                    { cancelEvent: {} },
                ],
            };
        };
        // The update's config: what the stack file in its directory says now.
        const { readStackConfig } = await import("../../tools/runtime/stackFiles");
        const config = readStackConfig(project, this.stack, path.join(call.cwd, `Pulumi.${this.stack}.yaml`));
        let plan;
        try {
            plan = await planConfig(this.stack, config, policyConfig);
        } catch (e) {
            return fail(
                [{ diagnosticEvent: { message: `${(e as Error).message}\n`, color: "never", severity: "error", prefix: "error: " } }],
                "an error occurred while running the program",
            );
        }
        // The analyzers judge every registered resource, targeted or not.
        const mandatory = plan.document.policyResults.violations.filter(v => v.enforcementLevel === "mandatory");
        if (mandatory.length) {
            return fail(
                mandatory.map(v => ({
                    policyEvent: {
                        resourceUrn: v.urn,
                        message: `${v.message}\n`,
                        color: "never",
                        policyName: v.policyName,
                        policyPackName: "trading-platform",
                        policyPackVersion: "0.1.0",
                        policyPackVersionTag: "0.1.0",
                        enforcementLevel: "mandatory",
                    },
                })),
                "preview failed",
            );
        }
        const planned = plan.resources.filter(custom);
        const targeted = (urn: string) => targets.length === 0 || targets.includes(urn);
        const steps: { op: Op; resource: PlannedResource; old?: PlannedResource }[] = [];
        const skippedCreates = new Set<string>();
        for (const r of planned) {
            const old = this.state.get(r.urn);
            if (!targeted(r.urn)) {
                if (!old) skippedCreates.add(r.urn);
                continue;
            }
            const name = (x: PlannedResource) => (x.inputs.metadata as { name?: unknown } | undefined)?.name;
            const op: Op = !old
                ? "create"
                : JSON.stringify(old.inputs) === JSON.stringify(r.inputs)
                  ? "same"
                  : name(old) !== name(r)
                    ? "replace"
                    : "update";
            steps.push({ op, resource: r, old });
        }
        for (const { resource } of steps) {
            const missing = resource.dependencies.find(d => skippedCreates.has(d));
            if (missing) {
                return fail(
                    [
                        {
                            diagnosticEvent: {
                                urn: resource.urn,
                                message: `Resource '${resource.urn}' depends on '${missing}', which will be created but was not specified in the --target list.\n`,
                                color: "never",
                                severity: "error",
                            },
                        },
                    ],
                    "update failed",
                );
            }
        }
        const deleted = [...this.state.keys()].filter(urn => !planned.some(r => r.urn === urn));
        const untargetedDelete = deleted.find(urn => !targeted(urn));
        if (untargetedDelete) {
            return fail(
                [
                    {
                        diagnosticEvent: {
                            urn: untargetedDelete,
                            message: `Resource '${untargetedDelete}' will be destroyed but was not specified in --target list.\n`,
                            color: "never",
                            severity: "error",
                        },
                    },
                ],
                "update failed",
            );
        }

        const weights = Object.fromEntries(
            Object.entries((plan.document.outputs.promotionState ?? {}) as Record<string, { weight: number }>).map(([service, p]) => [
                service,
                p.weight,
            ]),
        );
        const injected = this.behaviour.updateFails?.({ policyConfig, targets, weights });
        if (injected) {
            const r = planned.find(x => x.urn === injected.urn) as PlannedResource;
            return fail(
                [
                    { resourcePreEvent: { metadata: stepMetadata("update", r, this.state.get(r.urn)) } },
                    {
                        diagnosticEvent: {
                            urn: r.urn,
                            message: `${injected.message}\n`,
                            color: "never",
                            severity: "error",
                            prefix: "error: ",
                        },
                    },
                    { resOpFailedEvent: { metadata: stepMetadata("update", r, this.state.get(r.urn)), status: 1, steps: 1 } },
                ],
                "update failed",
            );
        }

        const events: FakeEngineEvent[] = [{ preludeEvent: { config: {} } }];
        const changes: Record<string, number> = {};
        // The Kubernetes provider awaits a Job's completion: a failed smoke test fails its step, and
        // nothing that depends on it (the load balancer objects) is touched.
        const failedJobs = new Set<string>();
        for (const step of steps) {
            events.push({ resourcePreEvent: { metadata: stepMetadata(step.op, step.resource, step.old) } });
            if (step.resource.type === "kubernetes:batch/v1:Job" && (step.op === "create" || step.op === "replace")) {
                const name = String((step.resource.inputs.metadata as { name?: unknown }).name);
                const why = this.behaviour.smokeFails?.({ service: step.resource.name.replace(/-smoke$/, ""), name });
                if (why) {
                    failedJobs.add(step.resource.urn);
                    events.push(
                        {
                            diagnosticEvent: {
                                urn: step.resource.urn,
                                message: `resource ${name} was not successfully created by the Kubernetes API server: Job "${name}" failed: ${why}\n`,
                                color: "never",
                                severity: "error",
                                prefix: "error: ",
                            },
                        },
                        { resOpFailedEvent: { metadata: stepMetadata(step.op, step.resource, step.old), status: 1, steps: 1 } },
                    );
                    continue;
                }
            }
            if (step.resource.dependencies.some(d => failedJobs.has(d))) continue;
            this.state.set(step.resource.urn, step.resource);
            changes[step.op] = (changes[step.op] ?? 0) + 1;
            events.push({ resOutputsEvent: { metadata: stepMetadata(step.op, step.resource, step.old) } });
        }
        if (failedJobs.size) return fail(events.slice(1), "update failed");
        for (const urn of deleted) this.state.delete(urn);
        // The root stack is always part of the update (implicitly targeted): its outputs follow the config.
        this.outputs = { ...plan.document.outputs, kubernetesNamespace: this.namespace };
        if (this.behaviour.loadBalancer !== "ignore") await this.onLoadBalancer(this.namespace, this.ingressWeights());
        this.ups.push({ targets, ok: true, policyConfig });
        this.history.unshift(historyEntry(this.history.length + 1, flagOf(call.argv, "--message") ?? "", changes));
        events.push(
            {
                summaryEvent: {
                    maybeCorrupt: false,
                    durationSeconds: 1,
                    resourceChanges: changes,
                    PolicyPacks: { "trading-platform": "v0.1.0" },
                },
            },
            { cancelEvent: {} },
        );
        return {
            events,
            stdout: `Updating (${this.stack}):\n\nResources:\n${Object.entries(changes)
                .map(([op, n]) => `    ${n} ${op}`)
                .join("\n")}\n`,
        };
    }
}
