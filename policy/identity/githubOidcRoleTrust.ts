import * as iam from "@pulumi/aws/iam";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { withMetadata } from "../lib/metadata";

// GitHub Actions' OIDC issuer (github.com; GHE.com and enterprise issuers add a path), and the claims a
// role must pin: `sub` names the repository (and the environment or ref), `aud` the STS audience the
// aws-actions/configure-aws-credentials action requests.
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

export interface OidcTrustConfig {
    allowedRepositories: string[];
}

type Statement = { Effect?: unknown; Principal?: unknown; Action?: unknown; Condition?: unknown };

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/** The issuer (host and path) of a federated principal that is GitHub's OIDC provider, or undefined. */
function githubIssuerOf(principal: string): string | undefined {
    const match = /:oidc-provider\/(token\.actions\.githubusercontent\.com(?:\/[^/]+)?)$/.exec(principal);
    return match ? match[1] : principal === GITHUB_OIDC_HOST ? GITHUB_OIDC_HOST : undefined;
}

/** The values a condition sets on `key` under the operators given (StringEquals, StringLike...). */
function conditionValues(condition: unknown, operators: string[], key: string): string[] | undefined {
    if (condition === null || typeof condition !== "object") return undefined;
    let found: string[] | undefined;
    for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
        if (!operators.includes(operator) || block === null || typeof block !== "object") continue;
        for (const [k, v] of Object.entries(block as Record<string, unknown>)) {
            if (k.toLowerCase() !== key.toLowerCase()) continue;
            found = [...(found ?? []), ...asList(v).map(String)];
        }
    }
    return found;
}

/** `repo:<owner>/<repo>:…` with no wildcard in the owner or the repository: the repository it pins, else undefined. */
export function pinnedRepository(subject: string): string | undefined {
    const match = /^repo:([^/:]+)\/([^/:]+):./.exec(subject);
    if (!match || /[*?]/.test(match[1]) || /[*?]/.test(match[2])) return undefined;
    return `${match[1]}/${match[2]}`.toLowerCase();
}

/** What is wrong with a trust policy's statements that trust GitHub's OIDC provider, one phrase each. */
export function oidcTrustProblems(document: unknown, config: OidcTrustConfig): string[] {
    let parsed = document;
    if (typeof document === "string") {
        try {
            parsed = JSON.parse(document);
        } catch {
            return [];
        }
    }
    const statements = asList((parsed as { Statement?: unknown } | null)?.Statement) as Statement[];
    const problems: string[] = [];
    statements.forEach((statement, i) => {
        if (statement?.Effect !== "Allow") return;
        const principal = statement.Principal;
        const federated =
            principal !== null && typeof principal === "object" ? asList((principal as { Federated?: unknown }).Federated).map(String) : [];
        const issuers = federated.map(githubIssuerOf).filter((issuer): issuer is string => issuer !== undefined);
        if (issuers.length === 0) return;
        const at = `Statement[${i}]`;
        for (const issuer of new Set(issuers)) {
            const subjects = conditionValues(statement.Condition, ["StringEquals", "StringLike"], `${issuer}:sub`);
            if (!subjects || subjects.length === 0) {
                problems.push(
                    `${at} trusts ${issuer} with no StringEquals/StringLike on ${issuer}:sub, so any workflow of any repository on GitHub may assume it`,
                );
            } else {
                const loose = subjects.filter(s => pinnedRepository(s) === undefined);
                const repositories = [...new Set(subjects.map(pinnedRepository).filter((r): r is string => r !== undefined))];
                if (loose.length > 0) {
                    problems.push(
                        `${at} lets ${issuer}:sub match ${loose.map(s => JSON.stringify(s)).join(", ")}, which names no single repository (a wildcard owner or repository, or no repo: prefix)`,
                    );
                }
                if (repositories.length > 1) {
                    problems.push(
                        `${at} trusts ${repositories.length} repositories (${repositories.join(", ")}): one role per repository and environment`,
                    );
                }
                const allowed = config.allowedRepositories.map(r => r.toLowerCase());
                const outside = repositories.filter(r => allowed.length > 0 && !allowed.includes(r));
                if (outside.length > 0) {
                    problems.push(
                        `${at} trusts ${outside.join(", ")}, not one of allowedRepositories (${config.allowedRepositories.join(", ")})`,
                    );
                }
            }
            const audiences = conditionValues(statement.Condition, ["StringEquals"], `${issuer}:aud`);
            if (!audiences || audiences.length === 0 || audiences.some(a => a !== GITHUB_OIDC_AUDIENCE)) {
                problems.push(
                    `${at} does not pin ${issuer}:aud to ${GITHUB_OIDC_AUDIENCE} with StringEquals${audiences?.length ? ` (found ${audiences.map(a => JSON.stringify(a)).join(", ")})` : ""}`,
                );
            }
        }
    });
    return problems;
}

export const githubOidcRoleTrust: ResourceValidationPolicy = {
    name: "github-oidc-role-trust",
    description:
        "An IAM role that trusts GitHub's OIDC provider pins the subject to one repository (StringEquals/StringLike on token.actions.githubusercontent.com:sub, no wildcard owner or repository) and the audience to sts.amazonaws.com.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "critical", topics: ["access-control", "aws", "github"] }),
    configSchema: {
        properties: {
            allowedRepositories: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Repositories (<owner>/<repo>) a role may trust; empty: any one pinned repository.",
            },
        },
    },
    validateResource: validateResourceOfType(iam.Role, (role, args, reportViolation) => {
        const problems = oidcTrustProblems(role.assumeRolePolicy, args.getConfig<OidcTrustConfig>());
        if (problems.length === 0) return;
        reportViolation(
            `IAM role "${args.name}": its trust policy ${problems.join("; ")}. ` +
                `Fix: build the trust policy with Condition { StringEquals: { "${GITHUB_OIDC_HOST}:aud": "${GITHUB_OIDC_AUDIENCE}", "${GITHUB_OIDC_HOST}:sub": "repo:<owner>/<repo>:environment:<name>" } } ` +
                "(or repo:<owner>/<repo>:pull_request for a read-only preview role), from values known at preview.",
        );
    }),
};
