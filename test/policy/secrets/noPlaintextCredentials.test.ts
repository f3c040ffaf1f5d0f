import { strict as assert } from "assert";
import { noPlaintextCredentials, plaintextCredentialReason } from "../../../policy/secrets/noPlaintextCredentials";
import { dockerContainer, hardenedContainer, hardenedPodSpec, workload } from "../../support/fixtures";
import { evaluateOne, resourceOf, violationsOf } from "../../support/policyHarness";
import { credentialFamilies } from "../../../policy/lib/credentialFamilies";
import { githubSecretSegregation } from "../../../policy/secrets/githubSecretSegregation";
import { environmentVariable } from "../../support/githubFixtures";
import { runTool, tempDir } from "../../support/cli";
import * as fs from "fs";
import * as path from "path";

describe("policy no-plaintext-credentials", () => {
    it("passes file pointers, flags and endpoints", async () => {
        assert.deepEqual(await violationsOf(noPlaintextCredentials, [dockerContainer("staging"), workload("Deployment")]), []);
    });

    it("fails a credential-named Docker env var with a literal value, without quoting the value", async () => {
        const container = dockerContainer("staging", { envs: ["LOG_LEVEL=info", "ALPACA_API_SECRET=s3cr3t-value-123"] });
        const [message, ...rest] = await violationsOf(noPlaintextCredentials, [container]);
        assert.equal(rest.length, 0);
        assert.match(message, /environment variable ALPACA_API_SECRET is named like a credential and carries a literal value/);
        assert.match(message, /Fix: remove it from envs/);
        assert.doesNotMatch(message, /s3cr3t-value-123/);
    });

    it("fails a value with a known credential shape whatever its name", async () => {
        const shapes: Record<string, string> = {
            "an AWS access key id": "AKIAZ7QH4LMN2RXWT5UV",
            "a GitHub token": "ghp_" + "Xk3mP9qL2vR7tY5wZ8nB4cD6fG1hJ0sA2eU4",
            "a private key block": "-----BEGIN RSA PRIVATE KEY-----\nMIIE...",
            "an Alpaca API key id": "AKQ2W3E4R5T6Y7U8I9O0",
            "a URL with an embedded password": "postgres://trader:hunter22@db:5432/ticks",
        };
        for (const [label, value] of Object.entries(shapes)) {
            const [message] = await violationsOf(noPlaintextCredentials, [dockerContainer("staging", { envs: [`UPSTREAM=${value}`] })]);
            assert.match(message, new RegExp(`UPSTREAM holds a value shaped like ${label}`), label);
            assert.ok(!message.includes(value), `message quotes the ${label}`);
        }
    });

    it("fails a literal credential in a Kubernetes init container, and accepts secretKeyRef", async () => {
        const spec = hardenedPodSpec({
            initContainers: [hardenedContainer("migrate", { env: [{ name: "DB_PASSWORD", value: "hunter22" }] })],
            containers: [
                hardenedContainer("api", { env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }] }),
            ],
        });
        const messages = await violationsOf(noPlaintextCredentials, [workload("StatefulSet", spec)]);
        assert.deepEqual(messages.length, 1);
        assert.match(messages[0], /init container "migrate" .* env DB_PASSWORD is named like a credential/);
        assert.match(messages[0], /Fix: use valueFrom\.secretKeyRef/);
    });

    it("tells names that point at credentials from credentials", () => {
        assert.equal(plaintextCredentialReason("ALPACA_API_KEY_FILE", "/run/secrets/k"), undefined);
        assert.equal(plaintextCredentialReason("SECRETS_DIR", "/run/secrets"), undefined);
        assert.equal(plaintextCredentialReason("TOKEN_URL", "https://auth.example.com/token"), undefined);
        assert.equal(plaintextCredentialReason("API_KEY", ""), undefined);
        assert.ok(plaintextCredentialReason("API_KEY", "x"));
        assert.ok(plaintextCredentialReason("GITHUB_TOKEN", "abc"));
    });
});

describe("policy no-plaintext-credentials: beyond env values", () => {
    it("reads camelCase and kebab-case names as credential names", () => {
        assert.match(plaintextCredentialReason("awsSecretAccessKey", "x") ?? "", /named like a credential/);
        assert.match(plaintextCredentialReason("api-key", "x") ?? "", /named like a credential/);
        assert.equal(plaintextCredentialReason("secretsDir", "/run/secrets"), undefined);
        assert.equal(plaintextCredentialReason("logLevel", "info"), undefined);
    });

    it("sees a key through base64, and only through valid base64", () => {
        assert.match(
            plaintextCredentialReason("UPSTREAM", Buffer.from("AKIAZ7QH4LMN2RXWT5UV").toString("base64")) ?? "",
            /an AWS access key id \(base64-encoded\)/,
        );
        assert.equal(plaintextCredentialReason("UPSTREAM", "aGVsbG8gd29ybGQgaGVsbG8="), undefined);
    });

    it("fails a Docker container whose command carries a credential, and flags no plain command", async () => {
        const container = dockerContainer("staging", { command: ["sh", "-c", "AWS_SECRET_ACCESS_KEY=abc123 exec app"] });
        const [message, ...rest] = await violationsOf(noPlaintextCredentials, [container]);
        assert.equal(rest.length, 0);
        assert.match(
            message,
            /command\[2\] is named like a credential and carries a literal value\. Fix: pass no credential on the command line/,
        );
        assert.doesNotMatch(message, /abc123/);
        assert.deepEqual(
            await violationsOf(noPlaintextCredentials, [
                dockerContainer("staging", { command: ["app", "--log-level=info", "--secrets-dir", "/run/secrets"] }),
            ]),
            [],
        );
    });

    it("reports the path of what it flagged, so reports can redact it", async () => {
        const result = await evaluateOne(noPlaintextCredentials, [
            dockerContainer("staging", { envs: ["LOG_LEVEL=info", "DB_PASSWORD=hunter22"] }),
        ]);
        assert.deepEqual(Object.values(result.flaggedPaths), [["envs[1]"]]);
    });
});

describe("policy no-plaintext-credentials: credentials by value, placeholders, files in ConfigMaps", () => {
    const configMap = (data: Record<string, string>) =>
        resourceOf("staging", "kubernetes:core/v1:ConfigMap", "settings", {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "settings", namespace: "trading-staging" },
            data,
        });

    it("finds every family's token under a name that says nothing: an env var, a ConfigMap key, an annotation", async () => {
        for (const family of credentialFamilies) {
            const env = workload(
                "Deployment",
                hardenedPodSpec({ containers: [hardenedContainer("api", { env: [{ name: "SETTING_A", value: family.example }] })] }),
            );
            const [message] = await violationsOf(noPlaintextCredentials, [env]);
            assert.match(
                message ?? "",
                new RegExp(`env SETTING_A holds a value shaped like ${family.label.replace(/[()]/g, "\\$&")}`),
                family.id,
            );
            assert.ok(!message.includes(family.example), `${family.id}: the message quotes the value`);
            assert.equal(
                (await violationsOf(noPlaintextCredentials, [configMap({ "setting-a": family.example })])).length,
                1,
                `${family.id} in a ConfigMap`,
            );
            const annotated = workload("Deployment");
            annotated.inputs = {
                ...annotated.inputs,
                metadata: { name: "api", namespace: "trading-staging", annotations: { "example.com/setting-a": family.example } },
            };
            annotated.outputs = annotated.inputs;
            assert.equal((await violationsOf(noPlaintextCredentials, [annotated])).length, 1, `${family.id} in an annotation`);
        }
    });

    it("passes references, masks and documented sample keys, even under credential names", async () => {
        const env = ["${DB_PASSWORD}", "$(PGPASSWORD)", "{{ .Values.password }}", "AKIAIOSFODNN7EXAMPLE", "****"].map((value, i) => ({
            name: `DB_PASSWORD_${i}`,
            value,
        }));
        const spec = hardenedPodSpec({ containers: [hardenedContainer("api", { env, args: ["--token=${API_TOKEN}"] })] });
        assert.deepEqual(await violationsOf(noPlaintextCredentials, [workload("Deployment", spec)]), []);
    });

    it("still fails every literal under a credential name, on the command line too", async () => {
        const spec = hardenedPodSpec({
            containers: [hardenedContainer("api", { env: [{ name: "API_KEY", value: "changeme" }], args: ["--token=abc"] })],
        });
        const messages = await violationsOf(noPlaintextCredentials, [workload("Deployment", spec)]);
        assert.equal(messages.length, 2);
        assert.match(messages[0], /env API_KEY is named like a credential/);
        assert.match(messages[1], /args\[0\] is named like a credential/);
    });

    it("reads NAME=value lines in a ConfigMap value as it reads env vars, and redacts the whole value", async () => {
        const settings = configMap({
            "app.env": "LOG_LEVEL=info\nREDIS_PASSWORD=abcd1234\n",
            "application.properties": "spring.datasource.password=${DB_PASSWORD}",
        });
        const result = await evaluateOne(noPlaintextCredentials, [settings]);
        assert.deepEqual(
            result.violations.map(v => v.detail),
            [
                'ConfigMap "settings": data key app.env, line 2 (REDIS_PASSWORD) is named like a credential and carries a literal value. ' +
                    "Fix: move the credential into a Secret created from a Pulumi secret (or Vault injection) and reference it with secretKeyRef; a ConfigMap is readable by anything that can read config.",
            ],
        );
        assert.deepEqual(Object.values(result.flaggedPaths), [['data["app.env"]']]);
    });
});

describe("policy no-plaintext-credentials: a Slack incoming webhook URL wherever plain config lands", () => {
    // Made up, in the shapes Slack hands out: an app's webhook, a workflow's and a trigger's.
    const secret = "q7Rz2Lm9Xc4Vb8Nw1Ks6Tj3H";
    const webhooks = [
        `https://hooks.slack.com/services/T0A1B2C3D4/B5E6F7G8H9/${secret}`,
        `https://hooks.slack.com/workflows/T0A1B2C3D4/A5E6F7G8H9/412345678901234567/${secret}`,
        `https://hooks.slack.com/triggers/T0A1B2C3D4/5123456789012/${secret}`,
    ];
    const LABEL = "a Slack incoming webhook URL";
    const withMetadata = (resource: ReturnType<typeof workload>, metadata: Record<string, unknown>) => {
        resource.inputs = { ...resource.inputs, metadata: { ...(resource.inputs.metadata as object), ...metadata } };
        resource.outputs = resource.inputs;
        return resource;
    };
    const places = (url: string): [string, Parameters<typeof violationsOf>[1][number]][] => [
        [
            "a Docker container's env (dockerHost.services.<svc>.env)",
            dockerContainer("production", { envs: ["LOG_LEVEL=info", `ALERTS=${url}`] }),
        ],
        [
            "a Docker container's command (dockerHost.services.<svc>.command)",
            dockerContainer("production", { command: ["/app/bin/backup", "--notify", url] }),
        ],
        ["a Docker container's label", dockerContainer("production", { labels: [{ label: "notify", value: url }] })],
        [
            "a Deployment's env (deployments.services.<svc>.env)",
            workload(
                "Deployment",
                hardenedPodSpec({ containers: [hardenedContainer("api", { env: [{ name: "NOTIFY", value: url }] })] }),
                "production",
            ),
        ],
        [
            "a container's args (smoke.args)",
            workload("Job", hardenedPodSpec({ containers: [hardenedContainer("smoke", { args: ["--report-to", url] })] }), "production"),
        ],
        [
            "a Deployment's annotation",
            withMetadata(workload("Deployment", hardenedPodSpec(), "production"), { annotations: { "example.com/notify": url } }),
        ],
        [
            "an Ingress's annotation",
            resourceOf("production", "kubernetes:networking.k8s.io/v1:Ingress", "api", {
                apiVersion: "networking.k8s.io/v1",
                kind: "Ingress",
                metadata: { name: "api", namespace: "trading-prod", annotations: { "example.com/notify": url } },
            }),
        ],
        [
            "a ConfigMap's data",
            resourceOf("production", "kubernetes:core/v1:ConfigMap", "settings", {
                apiVersion: "v1",
                kind: "ConfigMap",
                metadata: { name: "settings", namespace: "trading-prod" },
                data: { "notify.env": `LOG_LEVEL=info\nNOTIFY_URL=${url}\n` },
            }),
        ],
        [
            "a Secret's stringData",
            resourceOf("production", "kubernetes:core/v1:Secret", "notify", {
                apiVersion: "v1",
                kind: "Secret",
                metadata: { name: "notify", namespace: "trading-prod" },
                stringData: { url },
            }),
        ],
    ];

    it("flags each form in each place a plain value reaches, naming the place, never quoting the URL, and marks the path for redaction", async () => {
        for (const url of webhooks) {
            for (const [where, resource] of places(url)) {
                const result = await evaluateOne(noPlaintextCredentials, [resource]);
                const messages = result.violations.map(v => v.detail);
                assert.equal(messages.length, 1, `${where}: ${messages.join("\n")}`);
                assert.ok(messages[0].includes(`holds a value shaped like ${LABEL}`), `${where}: ${messages[0]}`);
                assert.ok(
                    !messages[0].includes(secret) && !messages[0].includes("hooks.slack.com"),
                    `${where}: the message quotes the webhook`,
                );
                assert.equal(
                    Object.values(result.flaggedPaths).flat().length,
                    1,
                    `${where}: the path is flagged for the reports to redact`,
                );
            }
        }
    });

    it("flags one in a GitHub environment variable too (github.environment.variables), through github-secret-segregation", async () => {
        const messages = await violationsOf(githubSecretSegregation, [
            environmentVariable("production", "SLACK_NOTIFY", { value: webhooks[0] }),
        ]);
        assert.equal(messages.length, 1);
        assert.match(messages[0], new RegExp(`SLACK_NOTIFY holds a value shaped like ${LABEL}`));
        assert.ok(!messages[0].includes(secret));
    });

    it("passes Slack's documented placeholder, a channel name and the API's base URL", async () => {
        const harmless = [
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "#trading-deploys",
            "https://hooks.slack.com/services/",
            "https://slack.com/api/chat.postMessage",
        ];
        const env = harmless.map((value, i) => ({ name: `SETTING_${i}`, value }));
        assert.deepEqual(
            await violationsOf(noPlaintextCredentials, [
                workload("Deployment", hardenedPodSpec({ containers: [hardenedContainer("api", { env })] }), "production"),
            ]),
            [],
        );
    });

    it("npm run policy -- check: a manifest with a webhook fails, and no report holds it", async () => {
        const dir = tempDir();
        const manifest = path.join(dir, "notify.yaml");
        fs.writeFileSync(
            manifest,
            [
                "apiVersion: v1",
                "kind: ConfigMap",
                "metadata:",
                "  name: notify",
                "  namespace: trading-prod",
                "data:",
                `  webhook: ${webhooks[0]}`,
                "",
            ].join("\n"),
        );
        const json = path.join(dir, "report.json");
        const markdown = path.join(dir, "report.md");
        const result = await runTool("policy", ["check", manifest, "--stack", "production", "--json", json, "--markdown", markdown]);
        assert.equal(result.code, 1, result.stdout + result.stderr);
        assert.match(result.stdout, /no-plaintext-credentials/);
        for (const text of [result.stdout, result.stderr, fs.readFileSync(json, "utf8"), fs.readFileSync(markdown, "utf8")]) {
            assert.ok(!text.includes(secret), "a report holds the webhook");
        }
    });
});
