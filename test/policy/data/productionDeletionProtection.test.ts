import { strict as assert } from "assert";
import { productionDeletionProtection } from "../../../policy/data/productionDeletionProtection";
import { violationsOf } from "../../support/policyHarness";
import { rdsInstance } from "./fixtures";

describe("policy production-deletion-protection", () => {
    it("passes a protected production instance, and a staging one without protection", async () => {
        assert.deepEqual(await violationsOf(productionDeletionProtection, [rdsInstance("production"), rdsInstance("staging")]), []);
    });

    it("fails production without deletion protection or a final snapshot", async () => {
        const messages = await violationsOf(productionDeletionProtection, [
            rdsInstance("production", { deletionProtection: false, skipFinalSnapshot: true }),
        ]);
        assert.equal(messages.length, 2);
        assert.match(
            messages[0],
            /Production RDS instance "trading-production-pg" has deletionProtection false.*Fix: deletionProtection: true/,
        );
        assert.match(messages[1], /without a final snapshot/);
    });
});
