import { strict as assert } from "assert";
import { blueGreenTrafficInvariants } from "../../../policy/delivery/blueGreenTrafficInvariants";
import { blueGreen, declare, serviceArgs } from "../../support/blueGreen";
import { violationsOf } from "../../support/policyHarness";
import { PlannedResource } from "../../../tools/engine/resource";
import { albActionAnnotationKey } from "../../../platform/rollout";

/** Edits the inputs (and outputs: a stack policy reads outputs) of the resource of `kind` named `name`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function edit(resources: PlannedResource[], kind: string, name: string, change: (props: any) => void): PlannedResource[] {
    return resources.map(r => {
        if (!r.type.endsWith(`:${kind}`) || r.name !== name) return r;
        const props = structuredClone(r.inputs);
        change(props);
        return { ...r, inputs: props, outputs: props };
    });
}

describe("policy blue-green-traffic-invariants", () => {
    let canary: PlannedResource[];
    before(async () => {
        canary = await declare(serviceArgs(blueGreen({ weight: 25 })));
    });

    it("passes what the component declares at a canary step", async () => {
        assert.deepEqual(await violationsOf(blueGreenTrafficInvariants, canary), []);
    });

    it("fails when the colours' weights do not add up to 100", async () => {
        const broken = edit(canary, "Deployment", "api-green", d => (d.metadata.annotations["trading-platform/traffic-weight"] = "30"));
        const messages = await violationsOf(blueGreenTrafficInvariants, broken);
        assert.match(
            messages[0],
            /^Service trading-prod\/api: traffic weights blue 75 \+ green 30 add up to 105, not 100\. Fix: set deployments\.services\.<name>\.blueGreen\.weight/,
        );
        assert.ok(
            messages.some(m => /sends 25% to api-green, whose Deployment is sized for 30%/.test(m)),
            messages.join("\n"),
        );
    });

    it("fails a colour with traffic below its minimum ready replicas", async () => {
        const broken = edit(canary, "Deployment", "api-blue", d => (d.spec.replicas = 1));
        const [message] = await violationsOf(blueGreenTrafficInvariants, broken);
        assert.match(message, /colour blue takes 75% of traffic with 1 replica\(s\), below its minimum of 3 ready\. Fix: /);
    });

    it("fails a colour with traffic and no disruption budget", async () => {
        const broken = canary.filter(r => !(r.type.endsWith(":PodDisruptionBudget") && r.name === "api-green"));
        const [message] = await violationsOf(blueGreenTrafficInvariants, broken);
        assert.match(
            message,
            /colour green takes traffic but has no PodDisruptionBudget\. Fix: guard it with a PodDisruptionBudget "api-green" with minAvailable 3/,
        );
    });

    it("fails a load balancer split that is not 100 or forwards to an undeclared Service", async () => {
        const broken = edit(canary, "Ingress", "api", ing => {
            const key = albActionAnnotationKey("api");
            const action = JSON.parse(ing.metadata.annotations[key]);
            action.forwardConfig.targetGroups[1] = { serviceName: "api-canary", servicePort: "8080", weight: 50 };
            ing.metadata.annotations[key] = JSON.stringify(action);
        });
        const messages = await violationsOf(blueGreenTrafficInvariants, broken);
        assert.equal(messages.length, 2);
        assert.match(messages[0], /splits api-blue 75 \+ api-canary 50 = 125, not 100/);
        assert.match(messages[1], /forwards to Service "api-canary", which this stack does not declare/);
    });

    it("ignores rolling services", async () => {
        const rolling = await declare(
            serviceArgs({ strategy: "rolling", image: "ghcr.io/synaptic-platform/synaptictrading/api:api-4c1f9e2" }),
            "staging",
        );
        assert.deepEqual(await violationsOf(blueGreenTrafficInvariants, rolling), []);
    });
});
