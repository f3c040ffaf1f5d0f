import { strict as assert } from "assert";
import { committedConfig, problemsOf, withSection } from "../../support/stackConfig";

describe("config github: each repository named for what it is", () => {
    it("names this repository and the application's, and the committed stacks agree", () => {
        for (const stack of ["staging", "production"] as const) {
            const github = JSON.parse(committedConfig(stack).values["trading-platform:github"]);
            assert.deepEqual(github.repositories, { infrastructure: "trading-platform", application: "synaptic-trading" });
        }
    });

    it("refuses the old single repository key, saying how it was split", () => {
        const config = withSection(committedConfig("staging"), "github", g => ({ ...g, repository: "synaptic-trading" }));
        const [problem, ...rest] = problemsOf("staging", config).filter(p => p.includes(":github"));
        assert.equal(rest.length, 0, rest.join("\n"));
        assert.match(
            problem,
            /^- staging: trading-platform:github\.repository: expected repositories\.infrastructure \(this repository, .*\) and repositories\.application .*; found "synaptic-trading"$/,
        );
    });

    it("refuses the application's checks under the old keys: this repository's come from its workflows", () => {
        const config = withSection(committedConfig("production"), "github", g => {
            g.branchProtection.requiredChecks = g.branchProtection.applicationChecks;
            delete g.branchProtection.applicationChecks;
            return g;
        });
        assert.deepEqual(
            problemsOf("production", config)
                .filter(p => p.includes(":github"))
                .map(p => p.replace(/; found .*/, "")),
            [
                "- production: trading-platform:github.branchProtection.requiredChecks: expected applicationChecks (the application repository's CI checks); this repository's checks come from its workflows (platform/delivery.ts)",
            ],
        );
        const missing = withSection(committedConfig("production"), "github", g => {
            delete g.branchProtection.applicationChecks;
            return g;
        });
        assert.deepEqual(problemsOf("production", missing), [
            "- production: trading-platform:github.branchProtection.applicationChecks: expected the status checks synaptic-trading's CI reports (its rulesets require them); found nothing (the key is not set)",
        ]);
    });

    it("requires the application's repository where staging builds its images, and a repository other than this one", () => {
        const missing = withSection(committedConfig("staging"), "github", g => ({
            ...g,
            repositories: { infrastructure: "trading-platform" },
        }));
        assert.deepEqual(problemsOf("staging", missing), [
            "- staging: trading-platform:github.repositories.application: expected the application's repository: staging checks out its source to build the images; found nothing (the key is not set)",
        ]);
        const same = withSection(committedConfig("production"), "github", g => ({
            ...g,
            repositories: { infrastructure: "trading-platform", application: "trading-platform" },
        }));
        assert.match(problemsOf("production", same)[0], /github\.repositories\.application: expected the application's own repository/);
    });

    it("keeps the CI variables the program sets out of the extra variables", () => {
        const config = withSection(committedConfig("staging"), "github", g => {
            g.environment.variables = { AWS_DEPLOY_ROLE_ARN: "arn:aws:iam::444455556666:role/trading-platform-deploy-production" };
            return g;
        });
        assert.deepEqual(problemsOf("staging", config), [
            '- staging: trading-platform:github.environment.variables.AWS_DEPLOY_ROLE_ARN: expected no AWS_DEPLOY_ROLE_ARN: it is set from trading-platform:ci; found "arn:aws:iam::444455556666:role/trading-platform-deploy-production"',
        ]);
    });
});
