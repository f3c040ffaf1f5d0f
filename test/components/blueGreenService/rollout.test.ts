import { strict as assert } from "assert";
import { BlueGreenState, planColours, rolloutProblems } from "../../../components/blueGreenService/rollout";
import { evaluatePolicies } from "../../../tools/engine/policyEngine";
import { API_BLUE, API_GREEN, blueGreen, declareWithNetwork, named, serviceArgs } from "../../support/blueGreen";
import { loadPolicyPack } from "../../../tools/engine/pack";

const state = (overrides: Partial<BlueGreenState> = {}): BlueGreenState => ({
    activeColour: "blue",
    images: { blue: API_BLUE, green: API_GREEN },
    step: 0,
    finalize: false,
    replicas: 5,
    minReady: 3,
    ...overrides,
});

describe("blue-green rollout rules", () => {
    it("derives both weights from the step", () => {
        assert.deepEqual(planColours(state({ step: 25 })).map(c => [c.colour, c.weight, c.replicas]), [
            ["blue", 75, 5],
            ["green", 25, 5],
        ]);
        assert.deepEqual(planColours(state({ activeColour: "green", step: 50 })).map(c => [c.colour, c.weight]), [
            ["blue", 50],
            ["green", 50],
        ]);
    });

    it("names the rule an impossible step breaks", () => {
        assert.deepEqual(rolloutProblems(state({ step: 30 })), [{ field: "step", problem: "step 30 is not in the canary sequence 0, 5, 25, 50, 100" }]);
        assert.deepEqual(rolloutProblems(state({ step: 5, images: { blue: API_BLUE } })), [{ field: "images", problem: "step 5 sends traffic to green, which has no image" }]);
        assert.deepEqual(rolloutProblems(state({ images: { green: API_GREEN } })), [{ field: "images", problem: "the active colour blue has no image" }]);
        assert.deepEqual(rolloutProblems(state({ step: 50, finalize: true })), [
            { field: "finalize", problem: "finalize scales blue down while it still has 50% of traffic; finalize only at step 100" },
        ]);
        assert.deepEqual(rolloutProblems(state({ replicas: 3 })), [
            { field: "replicas", problem: "replicas (3) must exceed minReady (3) so a node drain can evict a pod without breaking the budget" },
        ]);
    });

    it("walks a release from 0 to 100 %, finalizes, and rolls back from 25 to 0, keeping every invariant at every step", async () => {
        const pack = loadPolicyPack();
        const walk: { label: string; step: number; finalize?: boolean; expect: { blue: [number, number]; green: [number, number] } }[] = [
            { label: "candidate deployed, no traffic", step: 0, expect: { blue: [100, 5], green: [0, 5] } },
            { label: "5 % canary", step: 5, expect: { blue: [95, 5], green: [5, 5] } },
            { label: "25 %", step: 25, expect: { blue: [75, 5], green: [25, 5] } },
            { label: "50 %", step: 50, expect: { blue: [50, 5], green: [50, 5] } },
            { label: "cutover", step: 100, expect: { blue: [0, 5], green: [100, 5] } },
            { label: "finalize", step: 100, finalize: true, expect: { blue: [0, 1], green: [100, 5] } },
            { label: "a second release: at 25 %", step: 25, expect: { blue: [75, 5], green: [25, 5] } },
            { label: "rollback from 25 to 0: one config change", step: 0, expect: { blue: [100, 5], green: [0, 5] } },
        ];
        for (const { label, step, finalize, expect } of walk) {
            const resources = await declareWithNetwork(serviceArgs(blueGreen({ step, finalize: finalize ?? false })));
            for (const colour of ["blue", "green"] as const) {
                const deployment = named(resources, "Deployment", `api-${colour}`);
                const [weight, replicas] = expect[colour];
                assert.equal(Number(deployment.metadata.annotations["trading-platform/traffic-weight"]), weight, `${label}: ${colour} weight`);
                assert.equal(deployment.spec.replicas, replicas, `${label}: ${colour} replicas`);
                if (weight > 0) assert.ok(replicas >= 3, `${label}: ${colour} has traffic below minReady`);
            }
            const action = JSON.parse(named(resources, "Ingress", "api").metadata.annotations["alb.ingress.kubernetes.io/actions.api-weighted"]);
            assert.equal(action.forwardConfig.targetGroups.reduce((s: number, t: { weight: number }) => s + t.weight, 0), 100, `${label}: ALB weights`);
            const result = await evaluatePolicies(pack, resources);
            const blocking = [...result.violations.filter(v => v.enforcementLevel === "mandatory").map(v => v.message), ...result.errors.map(e => e.message)];
            assert.deepEqual(blocking, [], `${label}: the pack blocks this step`);
        }
    });
});
