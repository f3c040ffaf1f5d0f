import { hostMatches, hostOf, isCredentialName, mentionsLive, mentionsPaper } from "./credentials";
import { brokerHosts, describeFlags, flagsAt } from "../platform";
import { EnvironmentClass, EnvironmentStacks, environmentStacksSchema } from "./stacks";

/** Policy config shared by every segregation policy (Docker host, Kubernetes, GitHub). */
export interface SegregationConfig extends EnvironmentStacks {
    liveEndpointHosts: string[];
    paperEndpointHosts: string[];
}

export const segregationConfigSchema = {
    properties: {
        ...environmentStacksSchema,
        liveEndpointHosts: {
            type: "array",
            items: { type: "string" },
            default: [...brokerHosts.live],
            description: "Hosts that execute real orders; staging may never point at them.",
        },
        paperEndpointHosts: {
            type: "array",
            items: { type: "string" },
            default: [...brokerHosts.paper],
            description: "Paper/sandbox hosts; production may never point at them.",
        },
    },
} as const;

/** Flags that, at these values, mean real orders. */
const liveFlags: Readonly<Record<string, string>> = flagsAt("live");

/** A path or name that belongs to the other environment, e.g. secret/data/trading/production/... */
const mentionsProduction = (ref: string) => /(^|[/_.-])(prod|production)([/_.-]|$)/i.test(ref);
const mentionsStaging = (ref: string) => /(^|[/_.-])(staging|stage)([/_.-]|$)/i.test(ref);

/**
 * What breaks segregation in one workload: plain settings (name and value) and the names of the
 * secrets it references (Vault paths, Kubernetes secret names, rendered files). Returns one sentence
 * per problem, each ending with its fix; never quotes a secret value.
 */
export function segregationProblems(
    environment: EnvironmentClass,
    settings: { name: string; value: string }[],
    secretReferences: string[],
    config: SegregationConfig,
): string[] {
    const problems: string[] = [];
    if (environment === "staging") {
        for (const { name, value } of settings) {
            if (liveFlags[name] !== undefined && value.toLowerCase() === liveFlags[name]) {
                problems.push(
                    `sets ${name}=${value}: live trading in a staging stack. Fix: staging runs with ${describeFlags("paper")} (trading-platform:trading.mode: paper).`,
                );
            }
            const host = hostOf(value);
            if (host && config.liveEndpointHosts.some(h => hostMatches(host, h))) {
                problems.push(
                    `${name} points at the live endpoint ${host}. Fix: use a paper endpoint (${config.paperEndpointHosts.join(", ")}).`,
                );
            }
            if (isCredentialName(name.replace(/_FILE$/, "")) && mentionsLive(name)) {
                problems.push(
                    `${name} references a live credential. Fix: staging holds paper/sandbox credentials only; render a paper key instead.`,
                );
            }
        }
        for (const ref of secretReferences) {
            if (mentionsLive(ref) || mentionsProduction(ref)) {
                problems.push(
                    `references the secret "${ref}", which belongs to live/production trading. Fix: point staging at its paper/sandbox secrets.`,
                );
            }
        }
    } else if (environment === "production") {
        for (const { name, value } of settings) {
            const host = hostOf(value);
            if (host && config.paperEndpointHosts.some(h => hostMatches(host, h))) {
                problems.push(
                    `${name} points at the paper endpoint ${host}. Fix: production uses the live endpoint (${config.liveEndpointHosts.join(", ")}).`,
                );
            }
            if (isCredentialName(name.replace(/_FILE$/, "")) && mentionsPaper(name)) {
                problems.push(`${name} references a paper/sandbox credential. Fix: production renders live credentials only.`);
            }
        }
        for (const ref of secretReferences) {
            if (mentionsPaper(ref) || mentionsStaging(ref)) {
                problems.push(
                    `references the secret "${ref}", which belongs to paper/staging trading. Fix: point production at its live secrets.`,
                );
            }
        }
    }
    return problems;
}
