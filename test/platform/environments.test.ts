import { strict as assert } from "assert";
import { environmentNames, environments, isEnvironmentName, productionStacks, stagingStacks } from "../../platform/environments";

describe("platform/environments: the stacks and their roles", () => {
    it("knows staging and production, and nothing else", () => {
        assert.deepEqual([...environmentNames], ["staging", "production"]);
        assert.ok(isEnvironmentName("staging") && isEnvironmentName("production"));
        for (const other of ["Staging", "dev", "staging-eu", ""]) assert.ok(!isEnvironmentName(other), other);
    });

    it("derives which stacks trade live from the roles, and gives every stack its own namespace suffix", () => {
        assert.deepEqual(stagingStacks, ["staging"]);
        assert.deepEqual(productionStacks, ["production"]);
        assert.equal(environments.production.tradingMode, "live");
        const suffixes = environmentNames.map(name => environments[name].namespaceSuffix);
        assert.equal(new Set(suffixes).size, suffixes.length);
    });
});
