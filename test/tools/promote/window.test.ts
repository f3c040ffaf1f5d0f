import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { promotionPolicyConfigs, promotionWindow } from "../../../tools/promote/window";
import { tempDir } from "../../support/cli";

const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
const tuesdayMorning = new Date("2026-11-17T15:30:00Z"); // 10:30 in New York
const saturday = new Date("2026-11-21T15:30:00Z");

describe("promotion window", () => {
    it("reads the window the pack enforces on an advance: open Tuesday 10:30 New York, closed on a Saturday or after 14:00", () => {
        const window = promotionWindow();
        assert.equal(window(tuesdayMorning), undefined);
        assert.equal(window(saturday), "Sat is not a deployment day (Tue, Wed, Thu)");
        assert.equal(window(new Date("2026-11-17T19:00:00Z")), "14:00 is outside 10:00–14:00");
        assert.equal(window(new Date("2026-11-26T15:30:00Z")), "2026-11-26 is a market holiday (Thanksgiving Day)");
    });

    it("never closes under the rollback config: the window stops advancing, never retreating", () => {
        assert.equal(promotionWindow(promotionPolicyConfigs.rollback)(saturday), undefined);
    });

    it("the rollback config is the advance config with the window advisory, nothing else", () => {
        const advance = read(promotionPolicyConfigs.advance);
        const rollback = read(promotionPolicyConfigs.rollback);
        assert.equal(advance["production-deployment-window"].enforcementLevel, "mandatory");
        assert.equal(rollback["production-deployment-window"].enforcementLevel, "advisory");
        const { "production-deployment-window": _a, ...advanceRest } = advance;
        const { "production-deployment-window": _r, ...rollbackRest } = rollback;
        assert.deepEqual(rollbackRest, advanceRest);
    });

    it("honours an unexpired emergency override from the same config, as the policy does", () => {
        const file = path.join(tempDir(), "promote.json");
        const override = {
            reason: "Hotfix for order-routing outage INC-2231",
            approvedBy: "compliance-oncall",
            expiresAt: "2026-11-22T00:00:00Z",
        };
        fs.writeFileSync(
            file,
            JSON.stringify({ "production-deployment-window": { enforcementLevel: "mandatory", emergencyOverride: override } }),
        );
        const window = promotionWindow(file);
        assert.equal(window(saturday), undefined, "before expiry");
        assert.match(window(new Date("2026-11-22T15:30:00Z")) ?? "", /Sun is not a deployment day/, "after expiry");
    });
});
