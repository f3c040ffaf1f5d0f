import { Policy, Severity } from "@pulumi/policy";

// Each policy's severity and topics, as data. They travel in the SDK's own Policy fields, `severity` and
// `tags`: @pulumi/policy 1.21 sends both to the engine in the policy's PolicyInfo (protoutil.js,
// makeAnalyzerInfo) and stamps `severity` on every violation the policy reports (server.js,
// makeReportViolationFun), so Pulumi Cloud and the CLI see what the catalogue and the plan reports show.

/** The SDK's severities, most severe first (the order reports sort and the catalogue lists by). */
export const severities: readonly Severity[] = ["critical", "high", "medium", "low"];

/**
 * The closed list of topics a policy may carry: what it protects, then the platform it reads.
 * A new topic is added here, with a line saying what it covers, before a policy may use it.
 */
export const topics = [
    /** Staging never holds or reaches live trading; production never trades on paper. */
    "segregation",
    /** Credentials stay secret end to end. */
    "secrets",
    /** A container cannot gain privileges or write its own image. */
    "container-hardening",
    /** Workloads stay up through rollouts, node and zone loss. */
    "availability",
    /** Blue-green weights, colours and the load balancer agree. */
    "traffic",
    /** What runs was built by us and is pinned. */
    "supply-chain",
    /** Who may change production, how and when. */
    "change-management",
    /** Data is encrypted at rest with our keys, and in transit. */
    "encryption",
    /** Databases, caches, buckets and workloads are reachable only from what needs them, never the internet. */
    "network-exposure",
    /** Who and what may act: RBAC, service-account tokens, namespaces, CI identities and their trust. */
    "access-control",
    /** Data can be restored after a deletion or a bad write. */
    "backup",
    "kubernetes",
    "docker",
    "github",
    "aws",
] as const;
export type Topic = (typeof topics)[number];

export interface PolicyMetadata {
    severity: Severity;
    /** At least one, each from `topics`, none twice. */
    topics: readonly Topic[];
}

/** The SDK fields that carry `metadata`: spread into a policy object (`...withMetadata({...})`). */
export function withMetadata(metadata: PolicyMetadata): Pick<Policy, "severity" | "tags"> {
    return { severity: metadata.severity, tags: [...metadata.topics] };
}

/** Why `policy` carries no valid metadata, one sentence per problem; empty when it does. */
export function metadataProblems(policy: Policy): string[] {
    const problems: string[] = [];
    const name = policy.name;
    if (policy.severity === undefined) {
        problems.push(`${name}: no severity; spread withMetadata({ severity, topics }) from policy/lib/metadata into it`);
    } else if (!severities.includes(policy.severity)) {
        problems.push(`${name}: severity "${policy.severity}" is not one of ${severities.join(", ")}`);
    }
    const tags = policy.tags ?? [];
    if (tags.length === 0) problems.push(`${name}: no topics; give it at least one of ${topics.join(", ")}`);
    for (const tag of tags) {
        if (!(topics as readonly string[]).includes(tag)) {
            problems.push(`${name}: topic "${tag}" is not in the closed list (${topics.join(", ")})`);
        }
    }
    if (new Set(tags).size !== tags.length) problems.push(`${name}: a topic is listed twice`);
    return problems;
}

/** `policy`'s metadata; throws naming the policy and the fix when it has none or an invalid one. */
export function metadataOf(policy: Policy): PolicyMetadata {
    const problems = metadataProblems(policy);
    if (problems.length > 0) throw new Error(problems.join("\n"));
    return { severity: policy.severity!, topics: policy.tags as Topic[] };
}
