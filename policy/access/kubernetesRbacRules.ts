import { ResourceValidationPolicy } from "@pulumi/policy";
import { records, strings } from "../lib/github";
import { withMetadata } from "../lib/metadata";
import { forTypes } from "../lib/validation";

const roleType = /^kubernetes:rbac\.authorization\.k8s\.io\/[^:]+:(ClusterRole|Role)$/;

type Rule = { apiGroups?: unknown; resources?: unknown; verbs?: unknown; resourceNames?: unknown; nonResourceURLs?: unknown };

const READ_VERBS = ["get", "list", "watch", "*"];
/** Verbs that let a subject grant itself more than it holds. */
const ESCALATING_VERBS: Readonly<Record<string, string>> = {
    escalate: "grants roles with more than the subject holds",
    bind: "binds any role, including ones with more than the subject holds",
    impersonate: "acts as any user, group or service account",
};
/** Subresources that run commands in, or attach to, a running container. */
const SHELL_SUBRESOURCES = ["pods/exec", "pods/attach"];

/** What is wrong with one RBAC rule, one phrase each; `clusterWide` for a ClusterRole. */
export function ruleProblems(rule: Rule, clusterWide: boolean): string[] {
    const groups = strings(rule.apiGroups);
    const resources = strings(rule.resources);
    const verbs = strings(rule.verbs);
    const problems: string[] = [];
    if (verbs.includes("*")) problems.push('verbs "*" (every verb, including ones added later)');
    if (resources.includes("*")) {
        problems.push(`resources "*" in ${groups.includes("*") ? 'apiGroups "*" (the whole API)' : `apiGroups ${JSON.stringify(groups)}`}`);
    } else if (groups.includes("*") && resources.length > 0) problems.push(`apiGroups "*" for ${resources.join(", ")}`);
    for (const verb of verbs) if (ESCALATING_VERBS[verb]) problems.push(`verb "${verb}" (${ESCALATING_VERBS[verb]})`);
    const coreGroup = groups.includes("") || groups.includes("*");
    const shell = resources.filter(r => SHELL_SUBRESOURCES.includes(r) || r === "pods/*");
    if (coreGroup && shell.length > 0 && verbs.length > 0) {
        problems.push(`${shell.join(", ")} (a shell in running containers, past every image and admission check)`);
    }
    const readsSecrets = coreGroup && (resources.includes("secrets") || resources.includes("*")) && verbs.some(v => READ_VERBS.includes(v));
    if (readsSecrets && clusterWide && strings(rule.resourceNames).length === 0) problems.push("reading secrets in every namespace");
    return problems;
}

export const kubernetesRbacRules: ResourceValidationPolicy = {
    name: "kubernetes-rbac-least-privilege",
    description:
        "No Role or ClusterRole grants wildcard verbs or resources, privilege-escalating verbs (escalate, bind, impersonate), pods/exec or pods/attach, or (a ClusterRole) reading secrets in every namespace.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["access-control", "kubernetes"] }),
    validateResource: forTypes(
        type => roleType.test(type),
        (args, reportViolation) => {
            const kind = roleType.exec(args.type)![1];
            records<Rule>(args.props.rules).forEach((rule, i) => {
                const problems = ruleProblems(rule, kind === "ClusterRole");
                if (problems.length === 0) return;
                reportViolation(
                    `${kind} "${args.name}": rules[${i}] grants ${problems.join("; ")}. ` +
                        "Fix: list the API groups, resources and verbs the subject uses (get and list on named resources where it can), " +
                        "read secrets through Vault or a namespaced Role with resourceNames, and debug with ephemeral containers granted for the incident only.",
                );
            });
        },
    ),
};
