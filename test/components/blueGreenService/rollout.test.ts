import { strict as assert } from "assert";
import { BlueGreenState, planColours, rolloutProblems } from "../../../components/blueGreenService/rollout";
import { evaluatePolicies } from "../../../tools/engine/policyEngine";
import { API_BLUE, API_GREEN, blueGreen, declareWithNetwork, named, serviceArgs } from "../../support/blueGreen";
import { loadPolicyPack } from "../../../tools/engine/pack";
import { albActionAnnotationKey } from "../../../platform/rollout";

const state = (overrides: Partial<BlueGreenState> = {}): BlueGreenState => ({
    activeColour: "blue",
    images: { blue: API_BLUE, green: API_GREEN },
    weight: 0,
    finalize: false,
    replicas: 5,
    minReady: 3,
    ...overrides,
});

describe("blue-green rollout rules", () => {
    it("derives both colours' weights from the candidate's", () => {
        assert.deepEqual(
            planColours(state({ weight: 25 })).map(c => [c.colour, c.weight, c.replicas]),
            [
                ["blue", 75, 5],
                ["green", 25, 5],
            ],
        );
        assert.deepEqual(
            planColours(state({ activeColour: "green", weight: 50 })).map(c => [c.colour, c.weight]),
            [
                ["blue", 50],
                ["green", 50],
            ],
        );
    });

    it("names the rule an impossible position breaks", () => {
        assert.deepEqual(rolloutProblems(state({ weight: 30 })), [
            { field: "weight", problem: "weight 30 is not one of the canary weights 0, 5, 25, 50, 100" },
        ]);
        assert.deepEqual(rolloutProblems(state({ weight: 5, images: { blue: API_BLUE } })), [
            { field: "images", problem: "weight 5 sends traffic to green, which has no image" },
        ]);
        assert.deepEqual(rolloutProblems(state({ images: { green: API_GREEN } })), [
            { field: "images", problem: "the active colour blue has no image" },
        ]);
        assert.deepEqual(rolloutProblems(state({ weight: 50, finalize: true })), [
            { field: "finalize", problem: "finalize scales blue down while it still has 50% of traffic; finalize only at weight 100" },
        ]);
        assert.deepEqual(rolloutProblems(state({ replicas: 3 })), [
            {
                field: "replicas",
                problem: "replicas (3) must exceed minReady (3) so a node drain can evict a pod without breaking the budget",
            },
        ]);
    });

    it("walks a release from 0 to 100 %, finalizes, and rolls back from 25 to 0, keeping every invariant at every step", async () => {
        const pack = loadPolicyPack();
        const walk: { label: string; weight: number; finalize?: boolean; expect: { blue: [number, number]; green: [number, number] } }[] = [
            { label: "candidate deployed, no traffic", weight: 0, expect: { blue: [100, 5], green: [0, 5] } },
            { label: "5 % canary", weight: 5, expect: { blue: [95, 5], green: [5, 5] } },
            { label: "25 %", weight: 25, expect: { blue: [75, 5], green: [25, 5] } },
            { label: "50 %", weight: 50, expect: { blue: [50, 5], green: [50, 5] } },
            { label: "cutover", weight: 100, expect: { blue: [0, 5], green: [100, 5] } },
            { label: "finalize", weight: 100, finalize: true, expect: { blue: [0, 1], green: [100, 5] } },
            { label: "a second release: at 25 %", weight: 25, expect: { blue: [75, 5], green: [25, 5] } },
            { label: "rollback from 25 to 0: one config change", weight: 0, expect: { blue: [100, 5], green: [0, 5] } },
        ];
        for (const { label, weight, finalize, expect } of walk) {
            const resources = await declareWithNetwork(serviceArgs(blueGreen({ weight, finalize: finalize ?? false })));
            for (const colour of ["blue", "green"] as const) {
                const deployment = named(resources, "Deployment", `api-${colour}`);
                const [weight, replicas] = expect[colour];
                assert.equal(
                    Number(deployment.metadata.annotations["trading-platform/traffic-weight"]),
                    weight,
                    `${label}: ${colour} weight`,
                );
                assert.equal(deployment.spec.replicas, replicas, `${label}: ${colour} replicas`);
                if (weight > 0) assert.ok(replicas >= 3, `${label}: ${colour} has traffic below minReady`);
            }
            const action = JSON.parse(named(resources, "Ingress", "api").metadata.annotations[albActionAnnotationKey("api")]);
            assert.equal(
                action.forwardConfig.targetGroups.reduce((s: number, t: { weight: number }) => s + t.weight, 0),
                100,
                `${label}: ALB weights`,
            );
            const result = await evaluatePolicies(pack, resources);
            const blocking = [
                ...result.violations.filter(v => v.enforcementLevel === "mandatory").map(v => v.message),
                ...result.errors.map(e => e.message),
            ];
            assert.deepEqual(blocking, [], `${label}: the pack blocks this step`);
        }
    });
});
