import { ResourceValidationPolicy } from "@pulumi/policy";
import { records, text } from "../lib/github";
import { withMetadata } from "../lib/metadata";
import { forTypes } from "../lib/validation";

/** Roles that grant everything: binding one gives its subjects the cluster, or the namespace, whole. */
export const SUPERUSER_ROLES = ["cluster-admin"] as const;
/** Groups and users that stand for everybody, or for the API server's superusers. */
export const UNSAFE_SUBJECTS: Readonly<Record<string, string>> = {
    "system:masters": "the API server's superuser group (never subject to RBAC)",
    "system:anonymous": "every unauthenticated request",
    "system:unauthenticated": "every unauthenticated request",
    "system:authenticated": "every authenticated identity, on any cluster that trusts the same issuer",
};

export const kubernetesRbacBindings: ResourceValidationPolicy = {
    name: "kubernetes-rbac-bindings",
    description:
        "No RoleBinding or ClusterRoleBinding grants cluster-admin, or grants anything to everybody (anonymous, unauthenticated, all authenticated) or to system:masters.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "critical", topics: ["access-control", "kubernetes"] }),
    // Any version of the RBAC group (v1beta1 manifests still appear in charts): judged by kind.
    validateResource: forTypes(
        type => /^kubernetes:rbac\.authorization\.k8s\.io\/[^:]+:(Cluster)?RoleBinding$/.test(type),
        (args, reportViolation) => {
            const kind = args.type.slice(args.type.lastIndexOf(":") + 1);
            const roleRef = (args.props.roleRef ?? {}) as { kind?: unknown; name?: unknown };
            const role = text(roleRef.name);
            const subjects = records<{ kind: string; name: string; namespace: string }>(args.props.subjects);
            const who = subjects.map(s => `${text(s.kind) || "subject"} "${text(s.name)}"`).join(", ") || "no subject";
            if ((SUPERUSER_ROLES as readonly string[]).includes(role)) {
                reportViolation(
                    `${kind} "${args.name}": binds ${text(roleRef.kind) || "role"} "${role}" (every verb on every resource${kind === "ClusterRoleBinding" ? " in every namespace" : ""}) to ${who}. ` +
                        "Fix: bind a Role (or ClusterRole) listing only the verbs and resources the subject uses; humans get admin through the cluster's access entries, not a binding.",
                );
            }
            for (const subject of subjects) {
                const name = text(subject.name);
                const reason = UNSAFE_SUBJECTS[name];
                if (reason) {
                    reportViolation(
                        `${kind} "${args.name}": grants "${role}" to ${text(subject.kind) || "subject"} "${name}", ${reason}. Fix: bind named service accounts, users or groups only.`,
                    );
                }
            }
        },
    ),
};
