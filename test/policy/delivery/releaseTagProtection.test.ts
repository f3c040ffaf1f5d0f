import { strict as assert } from "assert";
import { releaseTagProtection } from "../../../policy/delivery/releaseTagProtection";
import {
    deliveryEnvironment,
    GITHUB,
    repositoryEnvironment,
    repositoryRules,
    repositoryRuleset,
    TEAMS,
    withProps,
} from "../../support/githubFixtures";
import { evaluateOne, resourceOf, urnOf, violationsOf } from "../../support/policyHarness";

const TAGS = 'Ruleset "release-tags" of synaptic-trading (refs/tags/v*)';
const tagsUrn = urnOf("production", GITHUB.ruleset, "synaptic-trading-release-tags");
const productionUrn = urnOf("production", GITHUB.environment, "production");
const branchRules = () => repositoryRules().filter(r => r.inputs.target === "branch");

describe("policy release-tag-protection", () => {
    it("passes a production environment whose release tags only the release managers may push, and staging without any tag ruleset", async () => {
        assert.deepEqual(await violationsOf(releaseTagProtection, [...deliveryEnvironment("production"), ...repositoryRules()]), []);
        assert.deepEqual(await violationsOf(releaseTagProtection, deliveryEnvironment("staging")), []);
    });

    it("fails a production environment whose repository has no release tag ruleset, against the environment", async () => {
        const nightly = repositoryRuleset("release-tags", {
            name: "nightly-tags",
            conditions: { refName: { includes: ["refs/tags/nightly-*"], excludes: [] } },
        });
        const result = await evaluateOne(releaseTagProtection, [...deliveryEnvironment("production"), ...branchRules(), nightly]);
        assert.deepEqual(result.errors, []);
        assert.equal(result.violations.length, 1);
        assert.equal(
            result.violations[0].detail,
            'GitHub environment "production" of synaptic-trading deploys from release tags, but repository synaptic-trading has no ruleset covering refs/tags/v* ' +
                '(its tag rulesets cover: "nightly-tags" (refs/tags/nightly-*)), so anyone who can push a tag matching "v*" can deploy to production. ' +
                'Fix: declare a RepositoryRuleset with target "tag", enforcement "active", conditions.refName.includes ["refs/tags/v*"], ' +
                'rules creation, update and deletion set to true, and the release managers team as its only bypass actor (actorType "Team", bypassMode "always").',
        );
        assert.equal(result.violations[0].urn, productionUrn);
    });

    it("does not count another repository's tag ruleset", async () => {
        const [message, ...rest] = await violationsOf(releaseTagProtection, [
            repositoryEnvironment("production"),
            repositoryRuleset("release-tags", { repository: "other-repository" }),
        ]);
        assert.equal(rest.length, 0);
        assert.match(
            message,
            /^GitHub environment "production" of synaptic-trading deploys from release tags, but repository synaptic-trading has no ruleset covering refs\/tags\/v\*, so anyone/,
        );
    });

    it("fails a release tag ruleset that does not target tags, against the ruleset", async () => {
        const result = await evaluateOne(releaseTagProtection, [
            repositoryEnvironment("production"),
            repositoryRuleset("release-tags", { target: "branch" }),
        ]);
        assert.equal(result.violations.length, 1);
        assert.equal(
            result.violations[0].detail,
            `${TAGS} has target "branch", not "tag", so it does not guard tags. Fix: set target: "tag".`,
        );
        assert.equal(result.violations[0].urn, tagsUrn);
    });

    it("fails a release tag ruleset that is not enforced", async () => {
        const messages = await violationsOf(releaseTagProtection, [
            repositoryEnvironment("production"),
            repositoryRuleset("release-tags", { enforcement: "evaluate" }),
        ]);
        assert.deepEqual(messages, [
            `${TAGS} has enforcement "evaluate", not "active", so nothing stops a release tag from being pushed. Fix: set enforcement: "active".`,
        ]);
    });

    it("fails a release tag ruleset that leaves moving or deleting tags open", async () => {
        const ruleset = withProps(repositoryRuleset("release-tags"), p => {
            delete p.rules.update;
            p.rules.deletion = false;
        });
        const messages = await violationsOf(releaseTagProtection, [repositoryEnvironment("production"), ruleset]);
        assert.deepEqual(messages, [
            `${TAGS} does not restrict update, deletion of release tags (rules.update unset, rules.deletion false). Fix: set rules creation, update and deletion to true.`,
        ]);
    });

    it("fails a release tag ruleset with no bypass actor", async () => {
        const messages = await violationsOf(releaseTagProtection, [
            repositoryEnvironment("production"),
            repositoryRuleset("release-tags", { bypassActors: [] }),
        ]);
        assert.deepEqual(messages, [
            `${TAGS} has no bypass actor, so nobody (not even the release managers) may create a release tag. Fix: keep the release managers team as the only bypass actor (actorType "Team", bypassMode "always").`,
        ]);
    });

    it("fails every bypass actor that is not a team bypassing always", async () => {
        const bypassActors = [
            { actorId: TEAMS.releaseManagers, actorType: "Team", bypassMode: "always" },
            { actorId: 1, actorType: "OrganizationAdmin", bypassMode: "always" },
            { actorId: TEAMS.quantLead, actorType: "Team", bypassMode: "pull_request" },
        ];
        const messages = await violationsOf(releaseTagProtection, [
            repositoryEnvironment("production"),
            repositoryRuleset("release-tags", { bypassActors }),
        ]);
        assert.deepEqual(messages, [
            `${TAGS} lets OrganizationAdmin 1 bypass it with bypassMode "always". Fix: keep the release managers team as the only bypass actor (actorType "Team", bypassMode "always").`,
            `${TAGS} lets Team ${TEAMS.quantLead} bypass it with bypassMode "pull_request". Fix: keep the release managers team as the only bypass actor (actorType "Team", bypassMode "always").`,
        ]);
    });

    it("validates a release tag ruleset even when the stack declares no production environment", async () => {
        const messages = await violationsOf(releaseTagProtection, [
            ...deliveryEnvironment("staging"),
            repositoryRuleset("release-tags", { enforcement: "disabled" }),
        ]);
        assert.deepEqual(messages, [
            `${TAGS} has enforcement "disabled", not "active", so nothing stops a release tag from being pushed. Fix: set enforcement: "active".`,
        ]);
    });

    it("never throws on missing fields: each missing part of the ruleset is a violation", async () => {
        const bare = resourceOf("production", GITHUB.ruleset, "bare-tags", { conditions: { refName: { includes: ["refs/tags/v*"] } } });
        const result = await evaluateOne(releaseTagProtection, [
            resourceOf("production", GITHUB.environment, "bare", {}),
            resourceOf("production", GITHUB.ruleset, "empty", {}),
            repositoryEnvironment("production", { repository: undefined }),
            bare,
        ]);
        assert.deepEqual(result.errors, []);
        const messages = result.violations.map(v => v.detail);
        assert.deepEqual(messages, [
            'Ruleset "bare-tags" (no name) (refs/tags/v*) has target unset, not "tag", so it does not guard tags. Fix: set target: "tag".',
            'Ruleset "bare-tags" (no name) (refs/tags/v*) has enforcement unset, not "active", so nothing stops a release tag from being pushed. Fix: set enforcement: "active".',
            'Ruleset "bare-tags" (no name) (refs/tags/v*) does not restrict creation, update, deletion of release tags (rules.creation unset, rules.update unset, rules.deletion unset). Fix: set rules creation, update and deletion to true.',
            'Ruleset "bare-tags" (no name) (refs/tags/v*) has no bypass actor, so nobody (not even the release managers) may create a release tag. Fix: keep the release managers team as the only bypass actor (actorType "Team", bypassMode "always").',
        ]);
        assert.ok(result.violations.every(v => v.urn === urnOf("production", GITHUB.ruleset, "bare-tags")));
    });

    it("takes its production environments and release tag pattern from policy config", async () => {
        const resources = [...deliveryEnvironment("production"), ...repositoryRules()];
        const [missing, ...rest] = await violationsOf(releaseTagProtection, resources, {
            "release-tag-protection": { releaseTagPattern: "release-*" },
        });
        assert.equal(rest.length, 0);
        assert.match(
            missing,
            /has no ruleset covering refs\/tags\/release-\* \(its tag rulesets cover: "release-tags" \(refs\/tags\/v\*\)\), so anyone who can push a tag matching "release-\*" can deploy/,
        );

        const euOnly = [repositoryEnvironment("prod-eu"), ...branchRules()];
        assert.deepEqual(await violationsOf(releaseTagProtection, euOnly), [], "prod-eu is not a production environment by default");
        const [eu] = await violationsOf(releaseTagProtection, euOnly, {
            "release-tag-protection": { productionEnvironments: ["production", "prod-eu"] },
        });
        assert.match(
            eu,
            /^GitHub environment "prod-eu" of synaptic-trading deploys from release tags, but repository synaptic-trading has no ruleset covering refs\/tags\/v\*/,
        );
    });
});
