import * as docker from "@pulumi/docker";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { parseDockerEnv } from "../lib/credentials";
import { commandLineSettings } from "../lib/settings";
import { SegregationConfig, segregationConfigSchema, segregationProblems } from "../lib/segregation";
import { environmentOf } from "../lib/stacks";
import { tradingModeLabel } from "../platform";
import { withMetadata } from "../lib/metadata";

export const dockerHostTradingSegregation: ResourceValidationPolicy = {
    name: "docker-host-trading-segregation",
    description:
        "On the shared Docker host, staging containers trade on paper only and production containers never point at paper endpoints.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "critical", topics: ["segregation", "docker"] }),
    configSchema: segregationConfigSchema,
    validateResource: validateResourceOfType(docker.Container, (container, args, reportViolation) => {
        const config = args.getConfig<SegregationConfig>();
        const environment = environmentOf(args.urn, config);
        const who = `Container "${container.name ?? args.name}"`;
        // Env and command line alike: wherever a value reaches the process.
        const settings = [
            ...(container.envs ?? []).map(parseDockerEnv),
            ...[
                ...commandLineSettings(container.command, ["command"], "command"),
                ...commandLineSettings(container.entrypoints, ["entrypoints"], "entrypoint"),
            ].map(s => ({
                name: s.named ? s.name : s.where,
                value: s.value,
            })),
        ];
        // The host directories mounted into the container are the Vault-rendered secrets it can read.
        const mounts = (container.volumes ?? []).map(v => v.hostPath ?? "").filter(Boolean);
        for (const problem of segregationProblems(environment, settings, mounts, config)) {
            reportViolation(`${who} ${problem}`);
        }
        const labels = Object.fromEntries((container.labels ?? []).map(l => [l.label, l.value]));
        if (environment === "staging" && labels[tradingModeLabel] === "live") {
            reportViolation(`${who} is labelled trading-mode=live. Fix: staging containers run in paper mode.`);
        }
    }),
};
