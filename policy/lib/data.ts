import { PolicyResource, UnknownValueError } from "@pulumi/policy";
import { dataPorts } from "../platform";

export const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];

/** An ingress rule as the ec2 and vpc security-group resources spell it. */
export interface IngressRule {
    protocol?: string;
    ipProtocol?: string;
    fromPort?: number;
    toPort?: number;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
    cidrIpv4?: string;
    cidrIpv6?: string;
}

/** The data ports an ingress rule opens to the whole internet, by service name. */
export function openDataPorts(rule: IngressRule): string[] {
    const cidrs = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? []), rule.cidrIpv4, rule.cidrIpv6].filter((c): c is string =>
        Boolean(c),
    );
    if (!cidrs.some(c => OPEN_CIDRS.includes(c))) return [];
    const protocol = String(rule.protocol ?? rule.ipProtocol ?? "tcp").toLowerCase();
    const allPorts = protocol === "-1" || protocol === "all";
    if (!allPorts && protocol !== "tcp" && protocol !== "6") return [];
    return Object.entries(dataPorts)
        .filter(([, port]) => allPorts || ((rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535)))
        .map(([service, port]) => `${service} (${port})`);
}

/** Resources of the stack that reference `target` through any input (a dependency on its URN). */
export function referencing(resources: PolicyResource[], target: PolicyResource, type: string): PolicyResource[] {
    return resources.filter(
        r =>
            r.type === type &&
            (r.dependencies.some(d => d.urn === target.urn) ||
                Object.values(r.propertyDependencies).some(deps => deps.some(d => d.urn === target.urn))),
    );
}

/**
 * Whether a property is set. A key ARN computed by a resource of the same update is unknown during
 * preview; it will hold a value, so it counts as set instead of stopping the check.
 */
export function isSetOrComputed(read: () => unknown): boolean {
    try {
        const value = read();
        return value !== undefined && value !== null && value !== "";
    } catch (e) {
        if (e instanceof UnknownValueError) return true;
        throw e;
    }
}
