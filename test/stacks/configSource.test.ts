import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { fromConfig, takeConfigTags } from "../../stacks/configSource";
import { isEngineRegistered } from "../../tools/runtime/program";
import { committedPlan } from "../support/committedPlans";

describe("config sources: which config key declared each resource", () => {
    it("records a tag per wrapped resource and refuses a key that is not a config key path", () => {
        takeConfigTags();
        const resource = { urn: pulumi.output("urn:x") } as unknown as pulumi.Resource;
        assert.equal(fromConfig("deployments.services.api", resource), resource);
        fromConfig("dockerHost", resource, { entries: ["services"] });
        assert.deepEqual(
            takeConfigTags().map(t => [t.key, t.entries]),
            [
                ["deployments.services.api", undefined],
                ["dockerHost", ["services"]],
            ],
        );
        assert.deepEqual(takeConfigTags(), []);
        for (const bad of ["trading-platform:dockerHost", "dockerHost..services", ".x", "a b"]) {
            assert.throws(() => fromConfig(bad, resource), /is not a config key path/, bad);
        }
    });

    // What a new component must do to pass: be declared through fromConfig in stacks/*.ts.
    for (const stack of ["staging", "production"] as const) {
        it(`traces every resource the ${stack} program declares to a config key of its stack file`, async () => {
            const { document } = await committedPlan(stack);
            const untraced = document.resources.filter(r => !isEngineRegistered(r) && !r.origin?.configKey);
            assert.deepEqual(
                untraced.map(r => r.urn),
                [],
                "declare these components through fromConfig (stacks/configSource.ts)",
            );
            assert.ok(document.resources.every(r => r.origin?.file === `Pulumi.${stack}.yaml` && r.origin.line >= 1));
        });
    }
});
