import { strict as assert } from "assert";
import {
    albActionAnnotationKey,
    albActionName,
    albActionOf,
    CANARY_WEIGHTS,
    colourObjectName,
    COLOURS,
    fixCutoverProblem,
    otherColour,
    rolloutAnnotations,
    weightAtStep,
} from "../../platform/rollout";

describe("platform/rollout: canary steps, colours and annotation keys", () => {
    it("walks from no traffic to all of it in increasing steps", () => {
        assert.deepEqual([...CANARY_WEIGHTS], [0, 5, 25, 50, 100]);
        for (let i = 1; i < CANARY_WEIGHTS.length; i++) assert.ok(CANARY_WEIGHTS[i] > CANARY_WEIGHTS[i - 1]);
    });

    it("lets a FIX service only cut over whole, and keeps it at 0 until the step of weight 100", () => {
        assert.equal(fixCutoverProblem(0), undefined);
        assert.equal(fixCutoverProblem(100), undefined);
        for (const weight of [5, 25, 50]) {
            assert.match(
                String(fixCutoverProblem(weight)),
                new RegExp(
                    `weight ${weight} would split FIX sessions across both colours; a FIX session is logged on from exactly one gateway at a time`,
                ),
            );
        }
        assert.deepEqual(
            [5, 25, 50, 100].map(w => weightAtStep("fix", w)),
            [0, 0, 0, 100],
        );
        assert.deepEqual(
            [5, 25, 50, 100].map(w => weightAtStep("http", w)),
            [5, 25, 50, 100],
        );
        for (const w of [5, 25, 50, 100]) assert.equal(fixCutoverProblem(weightAtStep("fix", w)), undefined);
    });

    it("pairs each colour with the other", () => {
        for (const colour of COLOURS) {
            assert.notEqual(otherColour(colour), colour);
            assert.equal(otherColour(otherColour(colour)), colour);
        }
    });

    it("names its annotations under one prefix, each once", () => {
        const keys = Object.values(rolloutAnnotations);
        assert.equal(new Set(keys).size, keys.length);
        assert.ok(keys.every(key => key.startsWith("trading-platform/")));
    });

    it("names a colour's objects <service>-<colour>, and the weighted action's annotation as the AWS Load Balancer Controller reads it", () => {
        assert.equal(colourObjectName("api", "green"), "api-green");
        assert.equal(albActionName("api"), "api-weighted");
        assert.equal(albActionAnnotationKey("api"), "alb.ingress.kubernetes.io/actions.api-weighted");
        assert.equal(albActionOf(albActionAnnotationKey("fix-gateway")), albActionName("fix-gateway"));
        assert.equal(albActionOf("alb.ingress.kubernetes.io/group.name"), undefined);
    });
});
