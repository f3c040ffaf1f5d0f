import { strict as assert } from "assert";
import {
    githubProductionCredentialIsolation,
    mentionsProduction,
    productionRoleReason,
} from "../../../policy/secrets/githubProductionCredentialIsolation";
import { actionsVariable, environmentSecret, environmentVariable, REPOSITORY } from "../../support/githubFixtures";
import { resourceOf, violationsOf } from "../../support/policyHarness";

const config = { "github-production-credential-isolation": { productionAwsAccounts: ["444455556666"] } };
const STAGING_ROLE = "arn:aws:iam::111122223333:role/trading-platform-deploy-staging";
const PRODUCTION_ROLE = "arn:aws:iam::444455556666:role/trading-platform-deploy";

describe("policy github-production-credential-isolation", () => {
    it("passes staging's own secrets and variables, and production's in production", async () => {
        const resources = [
            environmentSecret("staging"),
            environmentVariable("staging", "AWS_DEPLOY_ROLE_ARN", { value: STAGING_ROLE }),
            environmentSecret("production", "PRODUCTION_STATE_PASSPHRASE"),
            environmentVariable("production", "AWS_DEPLOY_ROLE_ARN", { value: PRODUCTION_ROLE }),
            actionsVariable(),
        ];
        assert.deepEqual(await violationsOf(githubProductionCredentialIsolation, resources, config), []);
    });

    it("fails a staging secret or variable named for production or holding production's role", async () => {
        const messages = await violationsOf(
            githubProductionCredentialIsolation,
            [
                environmentSecret("staging", "PROD_STATE_PASSPHRASE"),
                environmentVariable("staging", "AWS_DEPLOY_ROLE_ARN", { value: PRODUCTION_ROLE }),
                environmentVariable("staging", "AWS_ROLE", { value: "arn:aws:iam::999999999999:role/deploy-production" }),
            ],
            config,
        );
        assert.deepEqual(messages, [
            `GitHub environment "staging" of ${REPOSITORY}: secret PROD_STATE_PASSPHRASE is named for production. Fix: a staging job runs with staging's identity only: declare production's credentials in the production environment (behind its reviewers), and staging's own in staging.`,
            `GitHub environment "staging" of ${REPOSITORY}: variable AWS_DEPLOY_ROLE_ARN holds an IAM role in the production account 444455556666. Fix: a staging job runs with staging's identity only: declare production's credentials in the production environment (behind its reviewers), and staging's own in staging.`,
            `GitHub environment "staging" of ${REPOSITORY}: variable AWS_ROLE holds an IAM role named for production. Fix: a staging job runs with staging's identity only: declare production's credentials in the production environment (behind its reviewers), and staging's own in staging.`,
        ]);
    });

    it("fails a repository-level or organization-level secret or variable of production's: every job reads it", async () => {
        const repoSecret = resourceOf("staging", "github:index/actionsSecret:ActionsSecret", "state", {
            repository: REPOSITORY,
            secretName: "PULUMI_PRODUCTION_PASSPHRASE",
        });
        const orgSecret = resourceOf("staging", "github:index/actionsOrganizationSecret:ActionsOrganizationSecret", "org", {
            secretName: "PROD_SSH_KEY",
            visibility: "all",
        });
        const repoVariable = actionsVariable("AWS_DEPLOY_ROLE_ARN", { value: PRODUCTION_ROLE });
        const messages = await violationsOf(
            githubProductionCredentialIsolation,
            [
                repoSecret,
                orgSecret,
                repoVariable,
                resourceOf("staging", "github:index/actionsSecret:ActionsSecret", "ok", { secretName: "SLACK_WEBHOOK" }),
            ],
            config,
        );
        assert.equal(messages.length, 3);
        assert.match(
            messages[0],
            /^Repository-level Actions secret PULUMI_PRODUCTION_PASSPHRASE is named for production: every workflow job reads it, the staging job and pull requests' previews included\. Fix: move it to the production environment/,
        );
        assert.match(messages[1], /^Organization-level Actions secret PROD_SSH_KEY is named for production/);
        assert.match(
            messages[2],
            /^Repository-level Actions variable AWS_DEPLOY_ROLE_ARN holds an IAM role in the production account 444455556666/,
        );
    });

    it("reads production in names and role ARNs, not in words that merely contain it", () => {
        assert.equal(mentionsProduction("PROD_STATE_PASSPHRASE"), true);
        assert.equal(mentionsProduction("awsRoleProduction"), true);
        assert.equal(mentionsProduction("PRODUCT_CATALOG_URL"), false);
        assert.equal(mentionsProduction("REPRODUCE"), false);
        assert.equal(productionRoleReason(STAGING_ROLE, ["444455556666"]), undefined);
        assert.equal(productionRoleReason("not an arn", []), undefined);
    });
});
