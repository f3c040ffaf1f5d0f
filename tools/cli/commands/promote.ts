import * as fs from "fs";
import * as path from "path";
import { environments, isEnvironmentName } from "../../../platform";
import { validateStackConfig } from "../../../stacks/config";
import { promotionSettings } from "../../../stacks/config/promotion";
import { SimulatedClock, wallClock } from "../../promote/clock";
import { OUTCOME_EXIT, rollBackByHand, walk, WalkResult } from "../../promote/machine";
import { quietNotifier } from "../../promote/quietNotifier";
import { PrometheusSource } from "../../promote/prometheus";
import { PromotionRecord } from "../../promote/record";
import { rehearsalStackDriver } from "../../promote/rehearsalDriver";
import { Notifier, StackDriver } from "../../promote/types";
import { promotionPolicyConfigs, promotionWindow } from "../../promote/window";
import { repoRoot } from "../../runtime/paths";
import { readProject, readStackConfig } from "../../runtime/stackFiles";
import { UsageError } from "../errors";
import { checkReportTarget, CliIo, parseCli, processIo, runCli } from "../run";

export const usage = `Usage: npm run promote -- --stack production [--services api,websocket] [--record FILE.jsonl] [--summary FILE.md]
                          [--rehearse --from ISO-TIME [--prometheus URL] [--stack-file FILE]] [--rollback [--reason TEXT]]
Walks the blue-green services from where they stand to 100 % and finalizes, one stack update per step,
watching Prometheus in between; rolls them all back at once when a trigger fires (docs/runbook.md).
  --services    the services that move together (default: every blue-green service of the stack)
  --record      append one JSON line per decision to FILE (docs/runbook.md: the record)
  --summary     append the markdown summary to FILE (the GitHub job summary)
  --rehearse    offline: each step is the offline plan with the whole pack; time is simulated from --from
                and Prometheus is queried at those past times, without sleeping
  --from        where the rehearsal's clock starts (ISO 8601, e.g. 2026-11-17T15:00:00Z)
  --prometheus  query this Prometheus instead of promotion.prometheusUrl
  --stack-file  rehearse from this stack file and write each update's weights into it (so a rehearsal can resume)
  --rollback    every named service back to 0 % now, whatever the window (restoring the old colour's size after finalize)
Exit: 0 promoted (or rolled back by hand), 1 rolled back, 2 bad input, 3 held (window closed, no data, gates not met).`;

export function main(argv: string[], io: CliIo = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
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
        const services = parseServices(values.services);
        checkReportTarget(values.record, "--record");
        checkReportTarget(values.summary, "--summary");
        const rehearse = Boolean(values.rehearse);
        if (!rehearse && (values.from || values["stack-file"])) throw new UsageError(`${values.from ? "--from" : "--stack-file"} is for --rehearse; a live run reads the stack itself`);
        if (rehearse && values.rollback) throw new UsageError("--rollback acts on the live stack; rehearse a rollback by replaying the metrics that would trigger it");
        if (values.reason !== undefined && !values.rollback) throw new UsageError("--reason goes with --rollback");
        let from: Date | undefined;
        if (rehearse) {
            if (!values.from) throw new UsageError("--rehearse needs --from ISO-TIME: where the simulated clock starts");
            from = new Date(values.from);
            if (!/^\d{4}-\d{2}-\d{2}T/.test(values.from) || Number.isNaN(from.getTime())) throw new UsageError(`--from ${values.from}: expected an ISO 8601 time such as 2026-11-17T15:00:00Z`);
        }
        if (values.prometheus !== undefined && !/^https?:\/\/[^\s/]+/.test(values.prometheus)) throw new UsageError(`--prometheus ${values.prometheus}: expected an http(s) URL`);

        // The stack's config first, with the plan's errors (stack, key, expected, found): nothing runs on bad config.
        const project = readProject(repoRoot);
        const raw = readStackConfig(project, stack, values["stack-file"]);
        let validated;
        try {
            validated = validateStackConfig({ project: project.name, stack, values: raw.values, secretKeys: new Set(raw.secretKeys) });
        } catch (e) {
            if ((e as Error).name === "StackConfigError") throw new UsageError((e as Error).message);
            throw e;
        }
        const settings = promotionSettings(validated.promotion);
        const prometheusUrl = values.prometheus ?? settings.prometheusUrl;

        const record = new PromotionRecord(values.record);
        const log = (line: string) => io.stdout.write(`${line}\n`);
        const warn = (line: string) => io.stderr.write(`warning: ${line}\n`);
        // A rehearsal replays the past: it pages nobody and silences nothing.
        const notifier: Notifier = rehearse ? quietNotifier : (await import("../../promote/notify")).httpNotifier(settings.notifications, env, warn);
        const driver: StackDriver = rehearse
            ? rehearsalStackDriver({ stack, project: project.name, config: raw, stackFile: values["stack-file"], writeBack: Boolean(values["stack-file"]) })
            : await (
                  await import("../../promote/liveDriver")
              ).liveStackDriver({
                  workDir: repoRoot,
                  stack,
                  policyPackDir: path.join(repoRoot, "policy"),
                  advanceConfig: promotionPolicyConfigs.advance,
                  rollbackConfig: promotionPolicyConfigs.rollback,
                  onOutput: text => io.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
              });
        const clock = from ? new SimulatedClock(from) : wallClock;
        // Its url carries no credentials (a user:password@ in the configured URL becomes Basic auth).
        const metrics = new PrometheusSource(prometheusUrl);

        log(`${rehearse ? "Rehearsing" : "Promoting"} ${stack}${services.length ? ` (${services.join(", ")})` : ""}: steps ${settings.steps.map(s => `${s.weight} % for ${s.watch}`).join(", ")}, every ${settings.intervalMs / 1000}s, Prometheus ${metrics.url}${from ? `, from ${from.toISOString()}` : ""}`);
        let result: WalkResult;
        if (values.rollback) {
            result = await rollBackByHand({ services, driver, clock, notifier, record: e => record.add(e), log }, values.reason ?? "rollback requested by hand");
        } else {
            result = await walk({
                settings,
                services,
                driver,
                metrics,
                clock,
                notifier,
                window: promotionWindow(promotionPolicyConfigs.advance),
                record: e => record.add(e),
                log,
            });
        }
        if (values.summary) fs.appendFileSync(values.summary, record.markdown({ stack, mode: rehearse ? "rehearsal" : "live", outcome: result.outcome, reason: result.reason }));
        log(`${result.outcome === "promoted" ? "PROMOTED" : result.outcome === "held" ? "HELD" : "ROLLED BACK"}: ${result.reason}`);
        return values.rollback ? 0 : OUTCOME_EXIT[result.outcome];
    });
}

function parseServices(text: string | undefined): string[] {
    if (text === undefined) return [];
    const names = text.split(",").map(s => s.trim());
    if (names.some(n => !/^[a-z0-9][a-z0-9-]*$/.test(n))) throw new UsageError(`--services ${JSON.stringify(text)}: expected service names separated by commas, such as api,websocket`);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new UsageError(`--services names ${duplicate} twice`);
    return names;
}
