import * as fs from "fs";
import * as path from "path";
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import { nonClientPaths, pathsRegex } from "../../../components/blueGreenService/metrics";
import { environments, isEnvironmentName, otherColour } from "../../../platform";
import { validateStackConfig } from "../../../stacks/config";
import { promotionSettings } from "../../../stacks/config/promotion";
import { SimulatedClock, wallClock } from "../../promote/clock";
import { OUTCOME_EXIT, rollBackByHand, ServiceFacts, walk, WalkResult } from "../../promote/machine";
import { positionPlanner } from "../../promote/positionPlans";
import { preflight } from "../../promote/preflight";
import { quietNotifier } from "../../promote/quietNotifier";
import { PrometheusSource } from "../../promote/prometheus";
import { PromotionRecord } from "../../promote/record";
import { limitsOf } from "../../promote/timeline";
import { rehearsalStackDriver } from "../../promote/rehearsalDriver";
import { Notifier, StackDriver, StackState } from "../../promote/types";
import { promotionPolicyConfigs, promotionWindow } from "../../promote/window";
import { repoRoot } from "../../runtime/paths";
import { readProject, readStackConfig } from "../../runtime/stackFiles";
import { UsageError } from "../errors";
import { checkReportTarget, CliIo, parseCli, processIo, runCli } from "../run";

export const usage = `Usage: npm run promote -- --stack production [--services api,websocket] [--record FILE.jsonl] [--summary FILE.md]
                          [--rehearse --from ISO-TIME [--prometheus URL] [--stack-file FILE]] [--rollback [--reason TEXT]]
Walks every blue-green service with a candidate from where it stands to 100 % and finalizes, one targeted
stack update per step, watching Prometheus in between; rolls them all back at once when a trigger fires,
and withdraws them to 0 % when the run cannot advance (docs/runbook.md).
  --services    the services that move together (default: every blue-green service whose candidate colour has an image)
  --record      append one JSON line per decision to FILE (docs/runbook.md: the record)
  --summary     append the markdown summary to FILE (the GitHub job summary)
  --rehearse    offline: each update is the offline plan with the whole pack; time is simulated from --from
                and Prometheus is queried at those past times, without sleeping
  --from        where the rehearsal's clock starts (ISO 8601 with a time zone, e.g. 2026-11-17T15:00:00Z)
  --prometheus  query this Prometheus instead of promotion.prometheusUrl
  --stack-file  rehearse from this stack file and write each update's weights into it (so a rehearsal can resume)
  --rollback    every named service back to 0 % now, whatever the window (restoring the old colour's size after finalize)
Exit: 0 promoted (or rolled back by hand), 1 rolled back, 2 bad input (nothing changed), 3 withdrawn or held,
      4 a rollback or withdrawal whose update failed (a person must act now: the summary says what to run).`;

/** What tests replace: where the stack lives, the CLI to run, the policy configs the updates run under. */
export interface PromoteDeps {
    /** The directory of Pulumi.yaml and Pulumi.<stack>.yaml a live run updates (default: the repository). */
    workDir?: string;
    pulumiCommand?: PulumiCommand;
    /** Extra environment of every Pulumi CLI run. */
    envVars?: Record<string, string>;
    policyConfigs?: { advance: string; rollback: string };
}

/** ISO 8601 with a time zone: a time without one would be read in the runner's local zone. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function main(argv: string[], io: CliIo = processIo, env: NodeJS.ProcessEnv = process.env, deps: PromoteDeps = {}): Promise<number> {
    return runCli(usage, io, async () => {
        const { values } = parseCli(argv, {
            stack: { type: "string" },
            services: { type: "string" },
            "stack-file": { type: "string" },
            record: { type: "string" },
            summary: { type: "string" },
            rehearse: { type: "boolean" },
            prometheus: { type: "string" },
            from: { type: "string" },
            rollback: { type: "boolean" },
            reason: { type: "string" },
        });
        const stack = values.stack;
        if (!stack) throw new UsageError("--stack is required");
        if (!isEnvironmentName(stack) || !environments[stack].production) {
            throw new UsageError(`--stack ${stack}: only a production stack promotes step by step (staging rolls its services)`);
        }
        const named = parseServices(values.services);
        checkReportTarget(values.record, "--record");
        checkReportTarget(values.summary, "--summary");
        const rehearse = Boolean(values.rehearse);
        if (!rehearse && (values.from || values["stack-file"])) {
            throw new UsageError(`${values.from ? "--from" : "--stack-file"} is for --rehearse; a live run reads the stack itself`);
        }
        if (rehearse && values.rollback) {
            throw new UsageError("--rollback acts on the live stack; rehearse a rollback by replaying the metrics that would trigger it");
        }
        if (values.reason !== undefined && !values.rollback) throw new UsageError("--reason goes with --rollback");
        let from: Date | undefined;
        if (rehearse) {
            if (!values.from) throw new UsageError("--rehearse needs --from ISO-TIME: where the simulated clock starts");
            from = new Date(values.from);
            if (!/^\d{4}-\d{2}-\d{2}T/.test(values.from) || Number.isNaN(from.getTime())) {
                throw new UsageError(`--from ${values.from}: expected an ISO 8601 time such as 2026-11-17T15:00:00Z`);
            }
            if (!ISO_WITH_ZONE.test(values.from)) {
                throw new UsageError(
                    `--from ${values.from}: expected a time zone (Z or ±hh:mm), e.g. ${values.from}Z; without one the time would be read in this machine's zone`,
                );
            }
        }
        if (values.prometheus !== undefined && !/^https?:\/\/[^\s/]+/.test(values.prometheus)) {
            throw new UsageError(`--prometheus ${values.prometheus}: expected an http(s) URL`);
        }

        // The stack's config first, with the plan's errors (stack, key, expected, found): nothing runs on bad config.
        const project = readProject(repoRoot);
        const workDir = deps.workDir ?? repoRoot;
        const stackFile = values["stack-file"] ?? path.join(workDir, `Pulumi.${stack}.yaml`);
        const raw = readStackConfig(project, stack, stackFile);
        let validated;
        try {
            validated = validateStackConfig({ project: project.name, stack, values: raw.values, secretKeys: new Set(raw.secretKeys) });
        } catch (e) {
            if ((e as Error).name === "StackConfigError") throw new UsageError((e as Error).message);
            throw e;
        }
        const settings = promotionSettings(validated.promotion);
        const prometheusUrl = values.prometheus ?? settings.prometheusUrl;
        const policyConfigs = deps.policyConfigs ?? promotionPolicyConfigs;

        const record = new PromotionRecord(values.record);
        const log = (line: string) => io.stdout.write(`${line}\n`);
        const warn = (line: string) => io.stderr.write(`warning: ${line}\n`);
        // A rehearsal replays the past: it pages nobody and silences nothing.
        const notifier: Notifier = rehearse
            ? quietNotifier
            : (await import("../../promote/notify")).httpNotifier(settings.notifications, env, warn, { stack });
        // Plans run under the rollback config (window advisory): the walk judges the window itself, at its own clock.
        const planner = positionPlanner({ stack, project: project.name, config: raw, policyConfigFile: policyConfigs.rollback });
        const driver: StackDriver = rehearse
            ? rehearsalStackDriver({
                  stack,
                  project: project.name,
                  config: raw,
                  planner,
                  stackFile,
                  writeBack: Boolean(values["stack-file"]),
              })
            : await (
                  await import("../../promote/liveDriver")
              ).liveStackDriver({
                  workDir,
                  stack,
                  policyPackDir: path.join(repoRoot, "policy"),
                  advanceConfig: policyConfigs.advance,
                  rollbackConfig: policyConfigs.rollback,
                  planner,
                  pulumiCommand: deps.pulumiCommand,
                  envVars: deps.envVars,
                  onOutput: text => io.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
              });
        const clock = from ? new SimulatedClock(from) : wallClock;
        // Its url carries no credentials (a user:password@ in the configured URL becomes Basic auth).
        const metrics = new PrometheusSource(prometheusUrl);

        let result: WalkResult;
        if (values.rollback) {
            log(`Rolling back ${stack}${named.length ? ` (${named.join(", ")})` : ""} by hand`);
            result = await rollBackByHand(
                { services: named, driver, clock, notifier, record: e => record.add(e), log, stack },
                values.reason ?? "rollback requested by hand",
            );
        } else {
            const read = await driver.read(named);
            const deployments = validated.deployments;
            // A release promotes every service with a candidate: a candidate colour without an image has nothing to promote.
            const run: StackState = {
                namespace: read.namespace,
                services: read.services.filter(s => {
                    if (named.length) return true;
                    const candidate = otherColour(s.activeColour);
                    if (deployments.services[s.service as keyof typeof deployments.services]?.blueGreen?.images[candidate]) return true;
                    log(
                        `${s.service}: left out: its candidate colour ${candidate} has no image in ${path.basename(stackFile)} (nothing to promote)`,
                    );
                    return false;
                }),
            };
            for (const s of run.services) {
                const declared = deployments.services[s.service as keyof typeof deployments.services]?.blueGreen?.activeColour;
                if (declared && declared !== s.activeColour) {
                    throw new UsageError(
                        `${s.service}: ${path.basename(stackFile)} stages a release with activeColour ${declared}, but the stack runs ${s.activeColour} as the active colour; stage the release on the colour that serves now (activeColour: ${s.activeColour})`,
                    );
                }
            }
            if (!run.services.length) {
                throw new UsageError(
                    `no blue-green service of ${stack} has a candidate to promote (every candidate colour is without an image)`,
                );
            }
            const facts: Record<string, ServiceFacts> = Object.fromEntries(
                run.services.map(s => {
                    const probes = deployments.services[s.service as keyof typeof deployments.services]?.probes ?? {
                        readinessPath: "/readyz",
                        livenessPath: "/healthz",
                    };
                    return [s.service, { excludedPaths: pathsRegex(nonClientPaths(probes)) }];
                }),
            );
            log(
                `${rehearse ? "Rehearsing" : "Promoting"} ${stack} (${run.services.map(s => `${s.service} at ${s.weight} %${s.finalize ? " finalized" : ""}`).join(", ")}): ` +
                    `steps ${settings.steps.map(s => `${s.weight} % for ${s.watch}`).join(", ")}, every ${settings.intervalMs / 1000}s, Prometheus ${metrics.url}${from ? `, from ${from.toISOString()}` : ""}`,
            );
            await preflight({ stack, state: run, settings, planner, metrics, at: clock.now(), facts, log, record: e => record.add(e) });
            if (rehearse) {
                log(
                    "Rehearsal: the candidates' share of traffic is recorded, not required (past metrics follow the weights of the past, not the rehearsal's)",
                );
            }
            result = await walk({
                settings,
                state: run,
                facts,
                driver,
                metrics,
                clock,
                notifier,
                window: promotionWindow(policyConfigs.advance),
                record: e => record.add(e),
                log,
                stack,
                trafficCheck: rehearse ? "report" : "require",
            });
        }
        if (values.summary) {
            fs.appendFileSync(
                values.summary,
                record.markdown({
                    stack,
                    mode: rehearse ? "rehearsal" : "live",
                    outcome: result.outcome,
                    reason: result.reason,
                    unwatched: result.unwatched,
                    limits: limitsOf(settings),
                }),
            );
        }
        const verdict = {
            promoted: "PROMOTED",
            rolledBack: "ROLLED BACK",
            withdrawn: "WITHDRAWN",
            held: "HELD",
            failed: "FAILED: A PERSON MUST ACT NOW",
        }[result.outcome];
        if (result.unwatched) log(result.unwatched);
        log(`${verdict}: ${result.reason}`);
        if (values.rollback) return result.outcome === "failed" ? OUTCOME_EXIT.failed : 0;
        return OUTCOME_EXIT[result.outcome];
    });
}

function parseServices(text: string | undefined): string[] {
    if (text === undefined) return [];
    const names = text.split(",").map(s => s.trim());
    if (names.some(n => !/^[a-z0-9][a-z0-9-]*$/.test(n))) {
        throw new UsageError(`--services ${JSON.stringify(text)}: expected service names separated by commas, such as api,websocket`);
    }
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new UsageError(`--services names ${duplicate} twice`);
    return names;
}
