import { strict as assert } from "assert";
import { kubernetesRbacBindings } from "../../../policy/access/kubernetesRbacBindings";
import { resourceOf } from "../../support/policyHarness";
import { violationsOf } from "../../support/policyHarness";

const binding = (
    kind: "ClusterRoleBinding" | "RoleBinding",
    roleRef: Record<string, string>,
    subjects: Record<string, string>[],
    apiVersion = "v1",
) =>
    resourceOf("staging", `kubernetes:rbac.authorization.k8s.io/${apiVersion}:${kind}`, "binding", {
        apiVersion: `rbac.authorization.k8s.io/${apiVersion}`,
        kind,
        metadata: { name: "binding", ...(kind === "RoleBinding" ? { namespace: "trading-staging" } : {}) },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
        subjects,
    });
const sa = { kind: "ServiceAccount", name: "deployer", namespace: "trading-staging" };

describe("policy kubernetes-rbac-bindings", () => {
    it("passes a binding of a narrow role to a named service account", async () => {
        assert.deepEqual(
            await violationsOf(kubernetesRbacBindings, [
                binding("RoleBinding", { kind: "Role", name: "read-configmaps" }, [sa]),
                binding("ClusterRoleBinding", { kind: "ClusterRole", name: "view" }, [sa]),
            ]),
            [],
        );
    });

    it("fails cluster-admin bound cluster-wide or in a namespace, in any RBAC version", async () => {
        const messages = await violationsOf(kubernetesRbacBindings, [
            binding("ClusterRoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, [sa]),
            binding("RoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, [sa], "v1beta1"),
        ]);
        assert.equal(messages.length, 2);
        assert.match(
            messages[0],
            /^ClusterRoleBinding "binding": binds ClusterRole "cluster-admin" \(every verb on every resource in every namespace\) to ServiceAccount "deployer"\. Fix: bind a Role/,
        );
        assert.match(
            messages[1],
            /^RoleBinding "binding": binds ClusterRole "cluster-admin" \(every verb on every resource\) to ServiceAccount "deployer"/,
        );
    });

    it("fails anything granted to everybody or to system:masters", async () => {
        const messages = await violationsOf(kubernetesRbacBindings, [
            binding("ClusterRoleBinding", { kind: "ClusterRole", name: "view" }, [
                { kind: "Group", name: "system:unauthenticated" },
                { kind: "User", name: "system:anonymous" },
            ]),
            binding("ClusterRoleBinding", { kind: "ClusterRole", name: "view" }, [{ kind: "Group", name: "system:masters" }]),
        ]);
        assert.deepEqual(
            messages.map(m => /to (\w+ "[^"]+")/.exec(m)?.[1]),
            ['Group "system:unauthenticated"', 'User "system:anonymous"', 'Group "system:masters"'],
        );
    });
});
