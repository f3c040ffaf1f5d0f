import { strict as assert } from "assert";
import { withAliases } from "../../../components/lib/aliases";

describe("withAliases", () => {
    it("adds a type alias per earlier token and keeps the caller's options and aliases", () => {
        const opts = withAliases({ protect: true, aliases: [{ name: "old-name" }] }, "trading-platform:eks:Platform");
        assert.deepEqual(opts, { protect: true, aliases: [{ type: "trading-platform:eks:Platform" }, { name: "old-name" }] });
        assert.deepEqual(withAliases(undefined, "a:b:C"), { aliases: [{ type: "a:b:C" }] });
    });
});
