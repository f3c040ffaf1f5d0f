import { strict as assert } from "assert";
import { dockerContainerReadOnly } from "../../../policy/containers/dockerContainerReadOnly";
import { dockerContainer } from "../../support/fixtures";
import { evaluateOne, violationsOf } from "../../support/policyHarness";

describe("policy docker-container-read-only", () => {
    it("passes a read-only container", async () => {
        assert.deepEqual(await violationsOf(dockerContainerReadOnly, [dockerContainer("staging")]), []);
    });

    it("fails a container with readOnly false, naming it and the fix", async () => {
        const [message, ...rest] = await violationsOf(dockerContainerReadOnly, [dockerContainer("staging", { readOnly: false })]);
        assert.equal(rest.length, 0);
        assert.match(message, /Container "synaptic-staging-rest-adapter" has readOnly false/);
        assert.match(message, /Fix: set readOnly: true/);
    });

    it("fails a container that leaves readOnly unset", async () => {
        const resource = dockerContainer("production");
        delete resource.inputs.readOnly;
        const [message] = await violationsOf(dockerContainerReadOnly, [resource]);
        assert.match(message, /has readOnly unset/);
    });

    it("at the remediate level sets readOnly instead of failing", async () => {
        const result = await evaluateOne(dockerContainerReadOnly, [dockerContainer("staging", { readOnly: false })], {
            "docker-container-read-only": "remediate",
        });
        assert.deepEqual(result.violations, []);
        assert.deepEqual(
            result.remediations.map(r => r.policyName),
            ["docker-container-read-only"],
        );
    });
});
