import { strict as assert } from "assert";
import { ciRoleArns, ciVariables, CiConfig } from "../../../stacks/config/ci";
import { committedConfig, problemsOf, withSection } from "../../support/stackConfig";

const committedCi = (stack: "staging" | "production") => JSON.parse(committedConfig(stack).values["trading-platform:ci"]) as CiConfig;

describe("config ci", () => {
    it("puts each stack in its own account, with its own state bucket, and previews only staging from pull requests", () => {
        const staging = committedCi("staging");
        const production = committedCi("production");
        assert.notEqual(staging.accountId, production.accountId);
        assert.notEqual(staging.stateBucket, production.stateBucket);
        assert.equal(staging.pullRequestPreview, true);
        assert.equal(production.pullRequestPreview, undefined);
        assert.equal(production.stagingStateBucket, staging.stateBucket);
    });

    it("refuses a production stack that pull requests preview, or that shares staging's state bucket", () => {
        const config = withSection(committedConfig("production"), "ci", ci => ({
            ...ci,
            pullRequestPreview: true,
            stateBucket: ci.stagingStateBucket,
        }));
        assert.deepEqual(
            problemsOf("production", config).map(p => p.replace(/: expected .*/, "")),
            ["- production: trading-platform:ci.pullRequestPreview", "- production: trading-platform:ci.stateBucket"],
        );
        assert.match(problemsOf("production", config)[0], /never reads production \(its state decrypts the live broker keys\)/);
    });

    it("requires production to name staging's state (the gate reads it) and refuses it in staging", () => {
        const production = withSection(committedConfig("production"), "ci", ci => ({ ...ci, stagingStateBucket: undefined }));
        assert.deepEqual(problemsOf("production", production), [
            "- production: trading-platform:ci.stagingStateBucket: expected staging's state bucket: the promotion gate reads staging's history and outputs from it; found nothing (the key is not set)",
        ]);
        const staging = withSection(committedConfig("staging"), "ci", ci => ({ ...ci, stagingStateBucket: "another-bucket" }));
        assert.match(
            problemsOf("staging", staging)[0],
            /ci\.stagingStateBucket: expected no stagingStateBucket: only production reads another stack's state/,
        );
    });

    it("requires the deploy role among the cluster admins and the evidence readers, and no admin from another account", () => {
        const eks = withSection(committedConfig("staging"), "eks", e => ({
            ...e,
            adminRoleArns: ["arn:aws:iam::444455556666:role/trading-platform-deploy-production"],
        }));
        assert.deepEqual(problemsOf("staging", eks), [
            '- staging: trading-platform:eks.adminRoleArns: expected to include the deploy role arn:aws:iam::111122223333:role/trading-platform-deploy-staging (the update applies Kubernetes objects as it); found ["arn:aws:iam::444455556666:role/trading-platform-deploy-production"]',
            '- staging: trading-platform:eks.adminRoleArns.0: expected a role of the stack\'s account 111122223333 (ci.accountId); found "arn:aws:iam::444455556666:role/trading-platform-deploy-production"',
        ]);
        const evidence = withSection(committedConfig("production"), "releaseEvidence", r => ({
            ...r,
            store: { ...r.store, readerRoleArns: ["arn:aws:iam::444455556666:role/someone-else"] },
        }));
        assert.match(
            problemsOf("production", evidence)[0],
            /releaseEvidence\.store\.readerRoleArns: expected to include the deploy role arn:aws:iam::444455556666:role\/trading-platform-deploy-production/,
        );
    });

    it("refuses an account id that is not twelve digits, and a session shorter than an hour", () => {
        const config = withSection(committedConfig("staging"), "ci", ci => ({ ...ci, accountId: 111122223333, deploySessionSeconds: 900 }));
        assert.deepEqual(
            problemsOf("staging", config).map(p => p.replace(/; found .*/, "")),
            [
                '- staging: trading-platform:ci.accountId: expected the stack\'s 12-digit AWS account ID as a quoted string, e.g. "111122223333"',
                "- staging: trading-platform:ci.deploySessionSeconds: expected a value >= 3600",
            ],
        );
    });

    it("gives each kind of job its variables from config alone: deploy, drift, pull request", () => {
        const staging = ciVariables(
            "trading-platform",
            "staging",
            { ...committedCi("staging"), deploySessionSeconds: 7200, pullRequestPreview: true },
            "ap-south-1",
            { owner: "synaptic-platform", application: "synaptic-trading" },
        );
        assert.deepEqual(staging.deploy, {
            AWS_REGION: "ap-south-1",
            AWS_DEPLOY_ROLE_ARN: "arn:aws:iam::111122223333:role/trading-platform-deploy-staging",
            PULUMI_BACKEND_URL: "s3://trading-platform-state-111122223333?region=ap-south-1",
            APP_REPOSITORY: "synaptic-platform/synaptic-trading",
        });
        assert.deepEqual(staging.drift, {
            environment: "staging-drift",
            variables: {
                AWS_REGION: "ap-south-1",
                AWS_DRIFT_ROLE_ARN: "arn:aws:iam::111122223333:role/trading-platform-drift-staging",
                PULUMI_BACKEND_URL: "s3://trading-platform-state-111122223333?region=ap-south-1",
            },
        });
        assert.equal(staging.pullRequest?.AWS_PREVIEW_ROLE_ARN, "arn:aws:iam::111122223333:role/trading-platform-preview-staging");
        const production = ciVariables(
            "trading-platform",
            "production",
            { ...committedCi("production"), pullRequestPreview: false },
            "ap-south-1",
            { owner: "synaptic-platform", application: "synaptic-trading" },
        );
        assert.equal(production.pullRequest, undefined);
        assert.equal(production.deploy.STAGING_PULUMI_BACKEND_URL, "s3://trading-platform-state-111122223333?region=ap-south-1");
        assert.equal(production.deploy.APP_REPOSITORY, undefined);
        assert.equal(ciRoleArns("trading-platform", "production", committedCi("production") as CiConfig).preview, undefined);
    });

    it("reaches the shared Docker host as the namespace's own user, never a user another namespace shares", () => {
        const config = withSection(committedConfig("staging"), "dockerHost", d => ({ ...d, host: "ssh://deploy@bom-shared-docker-01" }));
        assert.deepEqual(problemsOf("staging", config), [
            "- staging: trading-platform:dockerHost.host: expected the namespace's own user (ssh://synaptic-staging@…), whose rootless Docker daemon runs this namespace only, so this stack's key reaches no other namespace; found \"deploy\"",
        ]);
        for (const stack of ["staging", "production"] as const) {
            const docker = JSON.parse(committedConfig(stack).values["trading-platform:dockerHost"]);
            assert.equal(docker.host, `ssh://${docker.namespace}@bom-shared-docker-01`);
        }
    });
});
