import { strict as assert } from "assert";
import { kubernetesRbacRules, ruleProblems } from "../../../policy/access/kubernetesRbacRules";
import { resourceOf, violationsOf } from "../../support/policyHarness";

const role = (kind: "ClusterRole" | "Role", rules: Record<string, string[]>[]) =>
    resourceOf("staging", `kubernetes:rbac.authorization.k8s.io/v1:${kind}`, "role", {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind,
        metadata: { name: "role" },
        rules,
    });

describe("policy kubernetes-rbac-least-privilege", () => {
    it("passes roles that list what they use", async () => {
        const good = [
            role("Role", [
                { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] },
                { apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["db"] },
            ]),
            role("ClusterRole", [
                { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list"] },
                { apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: ["ca"] },
            ]),
        ];
        assert.deepEqual(await violationsOf(kubernetesRbacRules, good), []);
    });

    it("fails wildcards, naming the rule", async () => {
        const [message, ...rest] = await violationsOf(kubernetesRbacRules, [
            role("ClusterRole", [
                { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] },
                { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
            ]),
        ]);
        assert.deepEqual(rest, []);
        assert.match(
            message,
            /^ClusterRole "role": rules\[1\] grants verbs "\*" \(every verb, including ones added later\); resources "\*" in apiGroups "\*" \(the whole API\); reading secrets in every namespace\. Fix: list the API groups/,
        );
    });

    it("fails a shell into pods, escalating verbs, and cluster-wide secrets read; a namespaced Role may read its namespace's secrets", () => {
        assert.deepEqual(ruleProblems({ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }, false), [
            "pods/exec (a shell in running containers, past every image and admission check)",
        ]);
        assert.deepEqual(ruleProblems({ apiGroups: [""], resources: ["pods/attach"], verbs: ["get"] }, false).length, 1);
        assert.deepEqual(
            ruleProblems({ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind", "escalate"] }, true),
            [
                'verb "bind" (binds any role, including ones with more than the subject holds)',
                'verb "escalate" (grants roles with more than the subject holds)',
            ],
        );
        assert.deepEqual(ruleProblems({ apiGroups: [""], resources: ["users"], verbs: ["impersonate"] }, false).length, 1);
        assert.deepEqual(ruleProblems({ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }, true), [
            "reading secrets in every namespace",
        ]);
        assert.deepEqual(ruleProblems({ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }, false), []);
        assert.deepEqual(ruleProblems({ apiGroups: [""], resources: ["secrets"], verbs: ["create"] }, true), []);
    });
});
