import * as docker from "@pulumi/docker";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { hostMatches, hostOf, isCredentialName, mentionsLive, mentionsPaper, parseDockerEnv } from "../lib/credentials";
import { EnvironmentStacks, environmentOf, environmentStacksSchema } from "../lib/stacks";

interface SegregationConfig extends EnvironmentStacks {
    liveEndpointHosts: string[];
    paperEndpointHosts: string[];
}

/** Broker hosts by account kind; shared with the Kubernetes and GitHub segregation policies. */
export const endpointHostsSchema = {
    liveEndpointHosts: {
        type: "array",
        items: { type: "string" },
        default: ["api.alpaca.markets"],
        description: "Hosts that execute real orders; staging may never point at them.",
    },
    paperEndpointHosts: {
        type: "array",
        items: { type: "string" },
        default: ["paper-api.alpaca.markets"],
        description: "Paper/sandbox hosts; production may never point at them.",
    },
} as const;

export const dockerHostTradingSegregation: ResourceValidationPolicy = {
    name: "docker-host-trading-segregation",
    description: "On the shared Docker host, staging containers trade on paper only and production containers never point at paper endpoints.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...environmentStacksSchema, ...endpointHostsSchema } },
    validateResource: validateResourceOfType(docker.Container, (container, args, reportViolation) => {
        const config = args.getConfig<SegregationConfig>();
        const environment = environmentOf(args.urn, config);
        if (environment === "other") return;
        const who = `Container "${container.name ?? args.name}"`;
        const env = (container.envs ?? []).map(parseDockerEnv);
        const labels = Object.fromEntries((container.labels ?? []).map(l => [l.label, l.value]));

        if (environment === "staging") {
            const flags: Record<string, string> = { TRADING_MODE: "live", DRY_RUN: "false", ALPACA_PAPER: "false" };
            for (const { name, value } of env) {
                if (flags[name] !== undefined && value.toLowerCase() === flags[name]) {
                    reportViolation(`${who} sets ${name}=${value}: live trading in a staging stack. Fix: staging runs with TRADING_MODE=paper, DRY_RUN=true and ALPACA_PAPER=true (trading-platform:trading.mode: paper).`);
                }
                const host = hostOf(value);
                if (host && config.liveEndpointHosts.some(h => hostMatches(host, h))) {
                    reportViolation(`${who}: ${name} points at the live endpoint ${host}. Fix: use a paper endpoint (${config.paperEndpointHosts.join(", ")}).`);
                }
                if (isCredentialName(name.replace(/_FILE$/, "")) && mentionsLive(name)) {
                    reportViolation(`${who}: ${name} references a live credential. Fix: staging holds paper/sandbox credentials only; render a paper key instead.`);
                }
            }
            if (labels["io.synaptic.trading-mode"] === "live") {
                reportViolation(`${who} is labelled trading-mode=live. Fix: staging containers run in paper mode.`);
            }
        } else {
            for (const { name, value } of env) {
                const host = hostOf(value);
                if (host && config.paperEndpointHosts.some(h => hostMatches(host, h))) {
                    reportViolation(`${who}: ${name} points at the paper endpoint ${host}. Fix: production uses the live endpoint (${config.liveEndpointHosts.join(", ")}).`);
                }
                if (isCredentialName(name.replace(/_FILE$/, "")) && mentionsPaper(name)) {
                    reportViolation(`${who}: ${name} references a paper/sandbox credential. Fix: production renders live credentials only.`);
                }
            }
        }
    }),
};
