import * as github from "@pulumi/github";
import { StackValidationPolicy } from "@pulumi/policy";
import {
    describeGithubEnvironment,
    describeRuleset,
    githubEnvironmentOf,
    GithubEnvironments,
    githubEnvironmentsSchema,
    records,
    releaseTagPatternSchema,
    resourcesOfType,
    rulesetIncludes,
    RulesetProps,
    text,
} from "../lib/github";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

interface ReleaseTagConfig extends GithubEnvironments {
    releaseTagPattern: string;
}

const ONLY_RELEASE_MANAGERS = 'keep the release managers team as the only bypass actor (actorType "Team", bypassMode "always")';

/** What is wrong with a ruleset that covers the release tags; one sentence, with its fix, per problem. */
function tagRulesetProblems(ruleset: RulesetProps): string[] {
    const problems: string[] = [];
    if (ruleset.target !== "tag") {
        problems.push(`has target ${showValue(ruleset.target)}, not "tag", so it does not guard tags. Fix: set target: "tag".`);
    }
    if (ruleset.enforcement !== "active") {
        problems.push(
            `has enforcement ${showValue(ruleset.enforcement)}, not "active", so nothing stops a release tag from being pushed. Fix: set enforcement: "active".`,
        );
    }
    const rules = ruleset.rules ?? {};
    const unrestricted = (["creation", "update", "deletion"] as const).filter(rule => rules[rule] !== true);
    if (unrestricted.length > 0) {
        problems.push(
            `does not restrict ${unrestricted.join(", ")} of release tags (${unrestricted.map(rule => `rules.${rule} ${showValue(rules[rule])}`).join(", ")}). ` +
                "Fix: set rules creation, update and deletion to true.",
        );
    }
    const actors = records<{ actorId: unknown; actorType: unknown; bypassMode: unknown }>(ruleset.bypassActors);
    if (actors.length === 0) {
        problems.push(
            `has no bypass actor, so nobody (not even the release managers) may create a release tag. Fix: ${ONLY_RELEASE_MANAGERS}.`,
        );
    }
    for (const actor of actors) {
        if (actor.actorType === "Team" && actor.bypassMode === "always") continue;
        problems.push(
            `lets ${typeof actor.actorType === "string" ? actor.actorType : "an actor of unset type"} ${showValue(actor.actorId)} bypass it with bypassMode ${showValue(actor.bypassMode)}. ` +
                `Fix: ${ONLY_RELEASE_MANAGERS}.`,
        );
    }
    return problems;
}

export const releaseTagProtection: StackValidationPolicy = {
    name: "release-tag-protection",
    description:
        "A repository with a GitHub production environment guards its release tags with an active tag ruleset that only the release managers team may bypass.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["change-management", "supply-chain", "github"] }),
    configSchema: { properties: { ...githubEnvironmentsSchema, releaseTagPattern: releaseTagPatternSchema } },
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<ReleaseTagConfig>();
        const releaseRef = `refs/tags/${config.releaseTagPattern}`;
        const rulesets = resourcesOfType(args.resources, github.RepositoryRuleset);
        // A tag deployment policy only matches names: whoever may push a matching tag may deploy.
        const guarding = rulesets.filter(r => rulesetIncludes(r.props as RulesetProps).includes(releaseRef));
        for (const ruleset of guarding) {
            const props = ruleset.props as RulesetProps;
            for (const problem of tagRulesetProblems(props)) {
                reportViolation(`${describeRuleset(props, ruleset.name)} ${problem}`, ruleset.urn);
            }
        }

        for (const environment of resourcesOfType(args.resources, github.RepositoryEnvironment)) {
            const props = environment.props as { repository?: string; environment?: string };
            if (githubEnvironmentOf(props.environment, config) !== "production") continue;
            const repository = text(props.repository);
            if (guarding.some(r => text((r.props as RulesetProps).repository) === repository)) continue;
            const otherTagRulesets = rulesets
                .map(r => r.props as RulesetProps)
                .filter(r => text(r.repository) === repository && r.target === "tag")
                .map(r => `"${text(r.name)}" (${rulesetIncludes(r).join(", ") || "no ref patterns"})`);
            reportViolation(
                `${describeGithubEnvironment(props.environment, props.repository)} deploys from release tags, but ${repository ? `repository ${repository}` : "its repository"} ` +
                    `has no ruleset covering ${releaseRef}${otherTagRulesets.length > 0 ? ` (its tag rulesets cover: ${otherTagRulesets.join("; ")})` : ""}, ` +
                    `so anyone who can push a tag matching "${config.releaseTagPattern}" can deploy to production. ` +
                    `Fix: declare a RepositoryRuleset with target "tag", enforcement "active", conditions.refName.includes ["${releaseRef}"], ` +
                    `rules creation, update and deletion set to true, and the release managers team as its only bypass actor (actorType "Team", bypassMode "always").`,
                environment.urn,
            );
        }
    },
};
