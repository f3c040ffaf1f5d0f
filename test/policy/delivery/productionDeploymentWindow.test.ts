import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { makeProductionDeploymentWindow } from "../../../policy/delivery/productionDeploymentWindow";
import { evaluateOne, resourceOf } from "../../support/policyHarness";
import { repoRoot } from "../../support/stackConfig";

const network = (stack: string) => resourceOf(stack, "docker:index/network:Network", "backend", { name: "backend" });
const promote = JSON.parse(fs.readFileSync(path.join(repoRoot, "policy", "config", "production-promote.json"), "utf8"));

/** Evaluates the window policy at a fixed instant with the promotion config (mandatory). */
async function at(iso: string, extraConfig: Record<string, unknown> = {}, stack = "production") {
    const policy = makeProductionDeploymentWindow(() => new Date(iso));
    // Only the window's own entry: a one-policy pack refuses config for policies it lacks, as the CLI does.
    const config = { "production-deployment-window": { ...promote["production-deployment-window"], ...extraConfig } };
    const result = await evaluateOne(policy, [network(stack)], config);
    assert.deepEqual(result.errors, []);
    return result.violations;
}
const allowed = async (iso: string) => assert.deepEqual(await at(iso), [], `${iso} should be inside the window`);
const refused = async (iso: string, reason: RegExp) => {
    const violations = await at(iso);
    assert.equal(violations.length, 1, `${iso} should be outside the window`);
    assert.equal(violations[0].enforcementLevel, "mandatory");
    assert.match(violations[0].detail, reason);
    return violations[0].detail;
};

describe("policy production-deployment-window", () => {
    it("is advisory by default, so previews and plans run at any hour, and mandatory in the promotion config", async () => {
        const policy = makeProductionDeploymentWindow(() => new Date("2026-11-21T03:00:00Z"));
        const preview = await evaluateOne(policy, [network("production")]);
        assert.equal(preview.violations[0].enforcementLevel, "advisory");
        assert.equal(promote["production-deployment-window"].enforcementLevel, "mandatory");
    });

    it("allows Tuesday to Thursday, 10:00 to 14:00 New York time", async () => {
        await allowed("2026-11-17T15:00:00Z"); // Tue 10:00 EST, the first minute
        await allowed("2026-11-18T17:30:00Z"); // Wed 12:30 EST
        await refused("2026-11-19T19:00:00Z", /14:00 is outside 10:00–14:00/); // Thu 14:00 EST, the window has closed
        await refused("2026-11-20T16:00:00Z", /Fri is not a deployment day \(Tue, Wed, Thu\)/);
    });

    it("moves with daylight saving time in March", async () => {
        // The same UTC instants, one week apart, straddling the switch on Sunday 8 March 2026.
        await allowed("2026-03-03T18:30:00Z"); // 13:30 EST
        await refused("2026-03-10T18:30:00Z", /14:30 is outside/); // 14:30 EDT
        await refused("2026-03-03T14:30:00Z", /09:30 is outside/); // 09:30 EST: the open
        await allowed("2026-03-10T14:30:00Z"); // 10:30 EDT
    });

    it("moves with daylight saving time in November", async () => {
        // The switch back is on Sunday 1 November 2026.
        await allowed("2026-10-27T14:15:00Z"); // 10:15 EDT
        await refused("2026-11-03T14:15:00Z", /09:15 is outside/); // 09:15 EST
        await refused("2026-10-27T18:30:00Z", /14:30 is outside/); // 14:30 EDT
        await allowed("2026-11-03T18:30:00Z"); // 13:30 EST
    });

    it("never on a market holiday, and names the next window", async () => {
        const message = await refused("2026-11-26T16:00:00Z", /2026-11-26 is a market holiday \(Thanksgiving Day\)/);
        assert.match(message, /The next window opens Tue 2026-12-01 10:00 America\/New_York\. Fix: /);
    });

    it("computes holidays past any typed list: the exchange's rules judge 2028 and beyond", async () => {
        await refused("2028-07-04T15:00:00Z", /2028-07-04 is a market holiday \(Independence Day\)/); // Tue 11:00 EDT
        await refused("2029-11-22T16:00:00Z", /2029-11-22 is a market holiday \(Thanksgiving Day\)/); // Thu, the fourth of five
        await refused("2030-12-25T16:00:00Z", /2030-12-25 is a market holiday \(Christmas Day\)/); // Wed
        await allowed("2028-07-05T15:00:00Z"); // Wed after
        // A holiday's weekday before the window opens: the next window skips it too.
        const [violation] = await at("2030-12-24T20:00:00Z");
        assert.match(violation.detail, /The next window opens Thu 2030-12-26 10:00/);
    });

    it("closes on a special closure from config, and on the default national day of mourning", async () => {
        await refused("2025-01-09T16:00:00Z", /2025-01-09 is a market holiday \(National Day of Mourning for President Jimmy Carter\)/);
        const closures = { specialClosures: [{ date: "2029-03-14", name: "National Day of Mourning" }] };
        const [closed] = await at("2029-03-14T15:00:00Z", closures); // Wed
        assert.match(closed.detail, /2029-03-14 is a market holiday \(National Day of Mourning\)/);
        assert.deepEqual(await at("2029-03-14T15:00:00Z"), []);
    });

    it("keeps clear of an early close: the exchange's customary ones computed, others from config", async () => {
        await refused("2026-12-24T17:45:00Z", /12:45 is within 30 minutes of today's early close at 13:00/); // Thu, Christmas Eve
        await allowed("2026-12-24T16:00:00Z"); // 11:00 EST the same day
        await refused("2030-12-24T17:45:00Z", /12:45 is within 30 minutes of today's early close at 13:00/); // Tue, Christmas Eve 2030
        const [early] = await at("2026-11-18T17:10:00Z", { earlyCloses: [{ date: "2026-11-18", close: "12:00" }] }); // Wed 12:10 EST
        assert.match(early.detail, /12:10 is within 30 minutes of today's early close at 12:00/);
        // Config moves a customary close: Christmas Eve 2026 at 12:00 instead of 13:00.
        assert.deepEqual(await at("2026-12-24T18:15:00Z", { earlyCloses: [{ date: "2026-12-24", close: "12:00" }] }), []);
    });

    it("a date the calendar cannot judge is a policy error, never a pass", async () => {
        const policy = makeProductionDeploymentWindow(() => new Date("2100-06-15T15:00:00Z")); // a Tuesday, 11:00 EDT
        const result = await evaluateOne(policy, [network("production")], {
            "production-deployment-window": promote["production-deployment-window"],
        });
        assert.deepEqual(result.violations, []);
        assert.equal(result.errors.length, 1);
        assert.match(result.errors[0].message, /the NYSE calendar cannot judge 2100: its rules are computed for 2022–2099 only\. Fix: /);
    });

    it("keeps clear of the open and the close when the window is widened", async () => {
        const widened = { windowStart: "09:00", windowEnd: "17:00" };
        const [open] = await at("2026-11-17T14:40:00Z", widened); // 09:40 EST
        assert.match(open.detail, /09:40 falls in the market open blackout \(09:00–10:00\)/);
        const [close] = await at("2026-11-17T20:50:00Z", widened); // 15:50 EST
        assert.match(close.detail, /15:50 falls in the market close blackout/);
    });

    it("lets an emergency through with an explicit, logged override, until it expires", async () => {
        const override = {
            reason: "Hotfix for order-routing outage INC-2231",
            approvedBy: "compliance-oncall",
            expiresAt: "2026-11-21T06:00:00Z",
        };
        const [logged] = await at("2026-11-21T03:00:00Z", { emergencyOverride: override });
        assert.equal(logged.enforcementLevel, "advisory");
        assert.match(
            logged.detail,
            /^Emergency override in effect outside the window \(Fri is not a deployment day .*\): "Hotfix for order-routing outage INC-2231", approved by compliance-oncall, expires 2026-11-21T06:00:00Z\.$/,
        );
        const [expired] = await at("2026-11-21T07:00:00Z", { emergencyOverride: override });
        assert.equal(expired.enforcementLevel, "mandatory");
    });

    it("refuses an override without a reason", async () => {
        await assert.rejects(
            at("2026-11-21T03:00:00Z", { emergencyOverride: { approvedBy: "x", expiresAt: "2026-11-21T06:00:00Z" } }),
            /production-deployment-window: \/emergencyOverride must have required property 'reason'/,
        );
    });

    it("judges production stacks only", async () => {
        assert.deepEqual(await at("2026-11-21T03:00:00Z", {}, "staging"), []);
    });
});
