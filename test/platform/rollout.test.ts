import { strict as assert } from "assert";
import { CANARY_STEPS, COLOURS, otherColour, rolloutAnnotations } from "../../platform/rollout";

describe("platform/rollout: canary steps, colours and annotation keys", () => {
    it("walks from no traffic to all of it in increasing steps", () => {
        assert.deepEqual([...CANARY_STEPS], [0, 5, 25, 50, 100]);
        for (let i = 1; i < CANARY_STEPS.length; i++) assert.ok(CANARY_STEPS[i] > CANARY_STEPS[i - 1]);
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
});
