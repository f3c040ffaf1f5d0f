import { PolicyResource } from "@pulumi/policy";
import { flagsAt, tradingFlags } from "../platform";
import { credentialShapeOf, isCredentialName, isLiteral } from "./credentials";
import { EnvironmentClass } from "./stacks";

// Shared by the GitHub delivery-gate policies (environments, their secrets and variables, rulesets).
// GitHub resources are told staging from production by the GitHub environment they belong to, not by
// the stack that declares them: one stack may manage several environments of a repository.

export interface GithubEnvironments {
    stagingEnvironments: string[];
    productionEnvironments: string[];
}

/** JSON-schema properties (with defaults) every policy that tells GitHub environments apart accepts. */
export const githubEnvironmentsSchema = {
    stagingEnvironments: {
        type: "array",
        items: { type: "string" },
        default: ["staging"],
        description: "GitHub environments that deploy paper trading and may hold paper/sandbox credentials only.",
    },
    productionEnvironments: {
        type: "array",
        items: { type: "string" },
        default: ["production"],
        description: "GitHub environments that deploy live trading, behind the production deployment gates.",
    },
} as const;

/** The release tag pattern production deploys from (a GitHub ref pattern without `refs/tags/`). */
export const releaseTagPatternSchema = {
    type: "string",
    minLength: 1,
    default: "v*",
    description: "Tag pattern of releases, the only refs production may deploy from, e.g. v*.",
} as const;

/** The class of a GitHub environment by its name; an unnamed or unlisted environment is "other". */
export function githubEnvironmentOf(name: unknown, config: GithubEnvironments): EnvironmentClass {
    if (typeof name !== "string" || name === "") return "other";
    if ((config.stagingEnvironments ?? []).includes(name)) return "staging";
    if ((config.productionEnvironments ?? []).includes(name)) return "production";
    return "other";
}

/** How messages name a GitHub environment: `GitHub environment "production" of synaptic-trading`. */
export function describeGithubEnvironment(environment: unknown, repository: unknown): string {
    const name = typeof environment === "string" && environment !== "" ? `"${environment}"` : "(unnamed)";
    return `GitHub environment ${name}${typeof repository === "string" && repository !== "" ? ` of ${repository}` : ""}`;
}

/** A string field, or "" when it is missing or not a string. */
export function text(value: unknown): string {
    return typeof value === "string" ? value : "";
}

/** The strings of a list field; a missing or malformed list is empty. */
export function strings(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The entries of a list field that are objects; a missing or malformed list is empty. */
export function records<T extends object>(value: unknown): Partial<T>[] {
    return Array.isArray(value) ? value.filter((v): v is Partial<T> => typeof v === "object" && v !== null) : [];
}

/** True when a flag's value is `expected`, compared trimmed and case-insensitively (`True` is `true`). */
export function sameFlag(value: unknown, expected: string): boolean {
    return (typeof value === "string" || typeof value === "boolean") && String(value).trim().toLowerCase() === expected.toLowerCase();
}

/** Variables that, at these values, mean real orders: a staging environment may set none of them. */
export const liveTradingFlags: Readonly<Record<string, string>> = flagsAt("live");

/** Variables every staging environment declares, at these values, so its deployments trade on paper. */
export const paperTradingFlags: Readonly<Record<string, string>> = {
    DRY_RUN: tradingFlags.DRY_RUN.paper,
    ALPACA_PAPER: tradingFlags.ALPACA_PAPER.paper,
};

/** Alpaca key ids: live ones start AK, paper ones PK. */
export const alpacaLiveKeyId = /^AK[A-Z0-9]{18}$/;
export const alpacaPaperKeyId = /^PK[A-Z0-9]{18}$/;
/** An AWS access key id has the same length and alphabet as a live Alpaca key id. */
const awsAccessKeyId = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

/**
 * True when a secret's value is shaped like a live Alpaca key id. An AWS access key id has the same
 * shape, so an AKIA…/ASIA… value stored under an AWS-named secret (AWS_ACCESS_KEY_ID) is not one.
 */
export function looksLikeLiveAlpacaKey(secretName: string, value: string): boolean {
    return alpacaLiveKeyId.test(value) && !(awsAccessKeyId.test(value) && /(^|_)AWS(_|$)/i.test(secretName));
}

/** Why an Actions variable is a plaintext credential, or undefined. Never quotes the value. */
export function plaintextCredentialProblem(name: string, value: string): string | undefined {
    const shape = credentialShapeOf(value);
    if (shape) return `holds a value shaped like ${shape} in plain text`;
    if (isCredentialName(name) && isLiteral(value)) return "is named like a credential and carries a plaintext value";
    return undefined;
}

/** The resources of a stack of one Pulumi resource class. */
export function resourcesOfType(resources: PolicyResource[], resourceClass: unknown): PolicyResource[] {
    // The class's type token, read once: isType would read it again for every resource of the stack.
    const type = (resourceClass as { __pulumiType?: string }).__pulumiType;
    return type ? resources.filter(r => r.type === type) : resources.filter(r => r.isType(resourceClass as never));
}

/** The fields of a RepositoryRuleset the policies read; any of them may be missing. */
export interface RulesetProps {
    name?: string;
    repository?: string;
    target?: string;
    enforcement?: string;
    conditions?: { refName?: { includes?: string[]; excludes?: string[] } };
    bypassActors?: { actorId?: number; actorType?: string; bypassMode?: string }[];
    rules?: {
        creation?: boolean;
        update?: boolean;
        deletion?: boolean;
        nonFastForward?: boolean;
        pullRequest?: {
            requiredApprovingReviewCount?: number;
            requireCodeOwnerReview?: boolean;
            dismissStaleReviewsOnPush?: boolean;
            requireLastPushApproval?: boolean;
            requiredReviewThreadResolution?: boolean;
        };
        requiredStatusChecks?: {
            requiredChecks?: { context?: string; integrationId?: number }[];
            strictRequiredStatusChecksPolicy?: boolean;
        };
    };
}

/** The ref patterns a ruleset includes (conditions.refName.includes). */
export function rulesetIncludes(ruleset: RulesetProps): string[] {
    return strings(ruleset.conditions?.refName?.includes);
}

/** The ref patterns a ruleset excludes (conditions.refName.excludes). */
export function rulesetExcludes(ruleset: RulesetProps): string[] {
    return strings(ruleset.conditions?.refName?.excludes);
}

/** How messages name a ruleset: `Ruleset "main" of synaptic-trading (refs/heads/main)`. */
export function describeRuleset(ruleset: RulesetProps, resourceName: string, patterns: string[] = rulesetIncludes(ruleset)): string {
    const name = text(ruleset.name) ? `"${ruleset.name}"` : `"${resourceName}" (no name)`;
    const repository = text(ruleset.repository) ? ` of ${ruleset.repository}` : "";
    return `Ruleset ${name}${repository} (${patterns.length > 0 ? patterns.join(", ") : "no ref patterns"})`;
}

/** The protected branch families of the standard. */
export type ProtectedBranch = "main" | "release";

/** Which protected branches a branch ruleset's ref patterns cover: main (or the default branch) and release/*. */
export function rulesetBranchesOf(ruleset: RulesetProps): { branches: Set<ProtectedBranch>; patterns: string[] } {
    const excludes = rulesetExcludes(ruleset);
    const patterns = rulesetIncludes(ruleset).filter(p => !excludes.includes(p));
    const branches = new Set<ProtectedBranch>();
    const covering: string[] = [];
    for (const pattern of patterns) {
        if (pattern === "refs/heads/main" || pattern === "~DEFAULT_BRANCH") branches.add("main");
        else if (pattern === "refs/heads/release/*") branches.add("release");
        else continue;
        covering.push(pattern);
    }
    return { branches, patterns: covering };
}

/** Which protected branch a classic branch protection pattern is. */
export function classicBranchOf(pattern: unknown): ProtectedBranch | undefined {
    if (pattern === "main") return "main";
    if (pattern === "release/*") return "release";
    return undefined;
}
