import { strict as assert } from "assert";
import {
    CiIdentities,
    CiIdentitiesArgs,
    deployPolicy,
    INLINE_POLICY_LIMIT,
    noDataReadsPolicy,
    READ_ONLY_ACCESS_POLICY_ARN,
    stateObjectKeys,
} from "../../../components/ciIdentities";
import { PlannedResource } from "../../../tools/engine/resource";
import { declareIn, ofType, one } from "../../support/components";

const args: CiIdentitiesArgs = {
    project: "trading-platform",
    stack: "staging",
    accountId: "111122223333",
    region: "ap-south-1",
    github: { owner: "synaptic-platform", repository: "trading-platform" },
    deploySessionSeconds: 7200,
    stateBucket: "trading-platform-state-111122223333",
    readsState: [],
    pullRequestPreview: true,
    deploy: {
        clusterName: "trading-staging",
        buckets: ["synaptic-trading-staging-catalogs", "synaptic-trading-staging-backups"],
        databases: ["trading-staging-pg", "trading-staging-pg-drill"],
        replicationGroups: ["trading-staging-redis"],
    },
    tags: { environment: "staging" },
};

type Statement = {
    Sid: string;
    Effect: string;
    Principal?: Record<string, unknown>;
    Action?: string | string[];
    NotAction?: string[];
    Resource?: string | string[];
    NotResource?: string[];
    Condition?: Record<string, Record<string, unknown>>;
};
const parse = (policy: unknown): Statement[] => {
    assert.equal(typeof policy, "string", "a policy known at preview is a plain JSON string");
    return (JSON.parse(policy as string) as { Statement: Statement[] }).Statement;
};
const role = (rs: PlannedResource[], name: string) => {
    const found = ofType(rs, "aws:iam/role:Role").find(r => r.inputs.name === name);
    assert.ok(
        found,
        `no role ${name}; roles: ${ofType(rs, "aws:iam/role:Role")
            .map(r => r.inputs.name)
            .join(", ")}`,
    );
    return found;
};

describe("component CiIdentities", () => {
    let resources: PlannedResource[];
    before(async () => {
        resources = await declareIn("staging", () => void new CiIdentities("ci", args));
    });

    it("declares GitHub's OIDC provider for AWS's audience in the stack's account", () => {
        const provider = one(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").inputs;
        assert.equal(provider.url, "https://token.actions.githubusercontent.com");
        assert.deepEqual(provider.clientIdLists, ["sts.amazonaws.com"]);
    });

    it("lets only jobs in this repository's staging environment assume the deploy role, with exact claims", () => {
        const deploy = role(resources, "trading-platform-deploy-staging");
        const [trust] = parse(deploy.inputs.assumeRolePolicy);
        assert.deepEqual(trust.Principal, { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" });
        assert.equal(trust.Action, "sts:AssumeRoleWithWebIdentity");
        assert.deepEqual(trust.Condition, {
            StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": "repo:synaptic-platform/trading-platform:environment:staging",
            },
        });
        assert.equal(deploy.inputs.maxSessionDuration, 7200);
    });

    it("gives the drift check its own environment's subject and the pull requests theirs, both read-only", () => {
        const drift = role(resources, "trading-platform-drift-staging");
        const preview = role(resources, "trading-platform-preview-staging");
        assert.equal(
            parse(drift.inputs.assumeRolePolicy)[0].Condition?.StringEquals["token.actions.githubusercontent.com:sub"],
            "repo:synaptic-platform/trading-platform:environment:staging-drift",
        );
        assert.equal(
            parse(preview.inputs.assumeRolePolicy)[0].Condition?.StringEquals["token.actions.githubusercontent.com:sub"],
            "repo:synaptic-platform/trading-platform:pull_request",
        );
        const attachments = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(a => a.inputs.policyArn);
        assert.deepEqual(attachments, [READ_ONLY_ACCESS_POLICY_ARN, READ_ONLY_ACCESS_POLICY_ARN]);
        // No managed policy on the deploy role: what it may do is the inline, scoped document.
        assert.ok(!ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").some(a => a.urn.includes("deploy")));
    });

    it("keeps every trust policy a value known at preview, so the pack judges it in the pull request", () => {
        for (const r of ofType(resources, "aws:iam/role:Role")) assert.equal(typeof r.inputs.assumeRolePolicy, "string", r.urn);
    });

    it("encrypts the state with a key only the stack's CI roles use, under the alias the secrets provider names", () => {
        const key = one(resources, "aws:kms/key:Key");
        const statements = parse(key.inputs.policy);
        const principals = statements.map(s => s.Principal?.AWS);
        assert.deepEqual(principals, [
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:role/trading-platform-deploy-staging",
            [
                "arn:aws:iam::111122223333:role/trading-platform-drift-staging",
                "arn:aws:iam::111122223333:role/trading-platform-preview-staging",
            ],
        ]);
        assert.deepEqual(statements[2].Action, ["kms:Decrypt", "kms:DescribeKey"]);
        assert.equal(one(resources, "aws:kms/alias:Alias").inputs.name, "alias/trading-platform-state-staging");
        assert.equal(key.inputs.enableKeyRotation, true);
        // KMS validates the principals of a key policy: the key waits for the roles.
        const roles = ofType(resources, "aws:iam/role:Role").map(r => r.urn);
        for (const urn of roles) assert.ok(key.dependencies.includes(urn), `key depends on ${urn}`);
    });

    it("declares no preview role where pull requests do not preview (production)", async () => {
        const production = await declareIn(
            "production",
            () => void new CiIdentities("ci", { ...args, stack: "production", accountId: "444455556666", pullRequestPreview: false }),
        );
        assert.deepEqual(
            ofType(production, "aws:iam/role:Role")
                .map(r => r.inputs.name)
                .sort(),
            ["trading-platform-deploy-production", "trading-platform-drift-production"],
        );
        const readers = parse(one(production, "aws:kms/key:Key").inputs.policy)[2].Principal?.AWS;
        assert.deepEqual(readers, ["arn:aws:iam::444455556666:role/trading-platform-drift-production"]);
    });

    it("lets the deploy role write only its own stack's state, and read the state it is given", async () => {
        const production = await declareIn(
            "production",
            () =>
                void new CiIdentities("ci", {
                    ...args,
                    stack: "production",
                    accountId: "444455556666",
                    pullRequestPreview: false,
                    stateBucket: "state-prod",
                    readsState: [{ bucket: "state-staging", project: "trading-platform", stack: "staging" }],
                }),
        );
        const state = ofType(production, "aws:iam/rolePolicy:RolePolicy").find(p => p.urn.endsWith("ci-deploy-state"));
        assert.ok(state);
        const statements = parse(state.inputs.policy);
        const write = statements.find(s => s.Sid === "OwnStateWrite");
        assert.deepEqual(write?.Resource, [
            "arn:aws:s3:::state-prod/.pulumi/stacks/trading-platform/production.json*",
            "arn:aws:s3:::state-prod/.pulumi/history/trading-platform/production/*",
            "arn:aws:s3:::state-prod/.pulumi/backups/trading-platform/production/*",
            "arn:aws:s3:::state-prod/.pulumi/locks/organization/trading-platform/production/*",
        ]);
        const staging = statements.find(s => s.Sid === "ReadStateOfStagingRead");
        assert.deepEqual(staging?.Action, ["s3:GetObject"]);
        assert.ok((staging?.Resource as string[]).every(r => r.startsWith("arn:aws:s3:::state-staging/")));
        for (const s of statements.filter(s => s.Effect === "Allow" && s.Sid !== "OwnStateWrite")) {
            assert.ok(![s.Action].flat().some(a => /Put|Delete/.test(String(a))), `${s.Sid} writes`);
        }
    });

    it("attaches the scoped deploy policy, under IAM's size limit", () => {
        const platform = ofType(resources, "aws:iam/rolePolicy:RolePolicy").find(p => p.urn.endsWith("ci-deploy-platform"));
        assert.ok(platform);
        assert.ok(
            String(platform.inputs.policy).replace(/\s/g, "").length < INLINE_POLICY_LIMIT,
            `${String(platform.inputs.policy).length} characters`,
        );
        const byRole = (name: string) =>
            ofType(resources, "aws:iam/rolePolicy:RolePolicy")
                .filter(p => p.inputs.role === name)
                .map(p => p.urn.split("::").pop());
        assert.deepEqual(byRole("trading-platform-deploy-staging"), ["ci-deploy-platform", "ci-deploy-state"]);
        assert.deepEqual(byRole("trading-platform-drift-staging"), ["ci-drift-no-data-reads", "ci-drift-state"]);
    });
});

describe("CI policy documents", () => {
    const scope = { ...args.deploy, project: "trading-platform", stack: "staging", accountId: "111122223333", region: "ap-south-1" };
    const statements = deployPolicy(scope).Statement as Statement[];
    const sid = (name: string) => {
        const found = statements.find(s => s.Sid === name);
        assert.ok(found, name);
        return found;
    };

    it("scopes the cluster, the databases, the cache and the buckets by the names config gives", () => {
        assert.ok(
            (sid("Cluster").Resource as string[]).every(r => r.includes(":cluster/trading-staging") || r.includes("/trading-staging/")),
        );
        assert.ok((sid("Databases").Resource as string[]).includes("arn:aws:rds:ap-south-1:111122223333:db:trading-staging-pg"));
        assert.ok(!(sid("Databases").Resource as string[]).includes("arn:aws:rds:ap-south-1:111122223333:db:*"));
        assert.deepEqual(sid("Buckets").Resource, [
            "arn:aws:s3:::synaptic-trading-staging-catalogs",
            "arn:aws:s3:::synaptic-trading-staging-backups",
        ]);
        // Bucket ARNs only: no statement lets an update read or write the data buckets' objects.
        assert.ok(
            !statements.some(
                s =>
                    s.Effect === "Allow" &&
                    [s.Resource].flat().some(r => String(r).startsWith("arn:aws:s3:::synaptic-trading-staging-backups/")),
            ),
        );
        assert.deepEqual(sid("Network").Condition, { StringEquals: { "aws:RequestedRegion": "ap-south-1" } });
    });

    it("uses keys only through AWS services and never decrypts directly", () => {
        const use = sid("KeysThroughServicesOnly");
        assert.ok((use.Condition?.StringEquals["kms:ViaService"] as string[]).every(s => s.endsWith(".ap-south-1.amazonaws.com")));
        const direct = statements.filter(
            s => s.Effect === "Allow" && !s.Condition && [s.Action].flat().some(a => a === "kms:Decrypt" || a === "kms:*"),
        );
        assert.deepEqual(direct, []);
    });

    it("denies a deploy any change to the CI identities and the state keys, and long-lived keys", () => {
        const identities = sid("NoDeployChangesCiIdentities");
        assert.equal(identities.Effect, "Deny");
        assert.deepEqual(identities.NotAction, ["iam:Get*", "iam:List*"]);
        assert.deepEqual(identities.Resource, [
            "arn:aws:iam::111122223333:role/trading-platform-deploy-*",
            "arn:aws:iam::111122223333:role/trading-platform-drift-*",
            "arn:aws:iam::111122223333:role/trading-platform-preview-*",
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
        ]);
        assert.deepEqual(sid("NoDeployChangesStateKeys").Condition, {
            "ForAnyValue:StringLike": { "kms:ResourceAliases": "alias/trading-platform-state-*" },
        });
        assert.ok((sid("NoLongLivedKeys").Action as string[]).includes("iam:CreateAccessKey"));
    });

    it("passes roles only to EKS and EC2, and reads release evidence only under its prefix (production)", () => {
        assert.deepEqual(sid("PassRolesToTheCluster").Condition, {
            StringEquals: { "iam:PassedToService": ["eks.amazonaws.com", "ec2.amazonaws.com"] },
        });
        const withEvidence = deployPolicy({
            ...scope,
            stack: "production",
            evidence: { bucket: "evidence", prefix: "release-evidence", recordsPrefix: "promotion-records" },
        }).Statement as Statement[];
        assert.equal(withEvidence.find(s => s.Sid === "EvidenceRead")?.Resource, "arn:aws:s3:::evidence/release-evidence/*");
        assert.equal(withEvidence.find(s => s.Sid === "PromotionRecordWrite")?.Resource, "arn:aws:s3:::evidence/promotion-records/*");
        assert.equal(
            statements.find(s => s.Sid === "EvidenceRead"),
            undefined,
        );
    });

    it("takes from ReadOnlyAccess every object read but the stack's state, every secret value, and decryption by other keys", () => {
        const deny = noDataReadsPolicy({ bucket: "state", project: "trading-platform", stack: "staging" }).Statement as Statement[];
        const keys = stateObjectKeys("trading-platform", "staging");
        assert.deepEqual(
            deny[0].NotResource,
            [keys.checkpoint, keys.history, keys.meta].map(k => `arn:aws:s3:::state/${k}`),
        );
        assert.ok(deny.every(s => s.Effect === "Deny"));
        assert.ok((deny[1].Action as string[]).includes("secretsmanager:GetSecretValue"));
        assert.deepEqual(deny[2].Condition, {
            "ForAllValues:StringNotEquals": { "kms:ResourceAliases": "alias/trading-platform-state-staging" },
        });
    });
});
