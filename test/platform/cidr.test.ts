import { strict as assert } from "assert";
import { cidrSubnet, zoneSubnets } from "../../platform/cidr";

describe("platform/cidr: subnet arithmetic", () => {
    it("carves a block like Terraform's cidrsubnet()", () => {
        assert.equal(cidrSubnet("10.0.0.0/16", 4, 2), "10.0.32.0/20");
        assert.equal(cidrSubnet("10.50.0.0/16", 2, 3), "10.50.192.0/18");
        // Host bits in the base are ignored, as cidrsubnet() does.
        assert.equal(cidrSubnet("10.50.7.9/16", 8, 1), "10.50.1.0/24");
    });

    it("refuses a split past /32 and an index past the last block, naming the limit", () => {
        assert.throws(() => cidrSubnet("10.0.0.0/30", 3, 0), /cannot be split into \/33 blocks/);
        assert.throws(() => cidrSubnet("10.50.0.0/16", 2, 4), /has only 4 \/18 blocks; index 4 is out of range/);
        assert.throws(() => cidrSubnet("10.50.0.0/16", 2, -1), /out of range/);
    });

    it("gives each zone a private quarter and a small public block in the last quarter, never overlapping", () => {
        const three = zoneSubnets("10.50.0.0/16", 3);
        assert.deepEqual(three.private, ["10.50.0.0/18", "10.50.64.0/18", "10.50.128.0/18"]);
        assert.deepEqual(three.public, ["10.50.192.0/21", "10.50.200.0/21", "10.50.208.0/21"]);
        assert.throws(() => zoneSubnets("10.50.0.0/16", 4), /between 1 and 3 zones/);
        assert.throws(() => zoneSubnets("10.50.0.0/16", 0), /between 1 and 3 zones/);
    });
});
