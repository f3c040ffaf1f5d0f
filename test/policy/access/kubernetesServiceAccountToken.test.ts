import { strict as assert } from "assert";
import { kubernetesServiceAccountToken } from "../../../policy/access/kubernetesServiceAccountToken";
import { hardenedPodSpec, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

describe("policy kubernetes-service-account-token", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a ${kind} that mounts no token and fails one that leaves the default`, async () => {
            assert.deepEqual(
                await violationsOf(kubernetesServiceAccountToken, [
                    workload(kind, hardenedPodSpec({ automountServiceAccountToken: false })),
                ]),
                [],
            );
            const [message, ...rest] = await violationsOf(kubernetesServiceAccountToken, [workload(kind, hardenedPodSpec())]);
            assert.deepEqual(rest, []);
            assert.match(
                message,
                new RegExp(
                    `^${kind} "api": .*automountServiceAccountToken is unset \\(Kubernetes then mounts the token of its service account "default"\\), .* Fix: set automountServiceAccountToken: false`,
                ),
            );
        });
    }

    it("fails an explicit true, and lets the API clients listed in config mount a token", async () => {
        const client = workload("Deployment", hardenedPodSpec({ automountServiceAccountToken: true, serviceAccountName: "operator" }));
        const [message] = await violationsOf(kubernetesServiceAccountToken, [client]);
        assert.match(message, /automountServiceAccountToken is true \(the pod mounts the token of its service account "operator"\)/);
        assert.deepEqual(
            await violationsOf(kubernetesServiceAccountToken, [client], {
                "kubernetes-service-account-token": { apiClients: ["trading-staging/operator"] },
            }),
            [],
        );
        assert.deepEqual(
            await violationsOf(kubernetesServiceAccountToken, [client], {
                "kubernetes-service-account-token": { apiClients: ["operator"] },
            }),
            [],
        );
        assert.equal(
            (
                await violationsOf(kubernetesServiceAccountToken, [client], {
                    "kubernetes-service-account-token": { apiClients: ["other/operator"] },
                })
            ).length,
            1,
        );
    });
});
