import { strict as assert } from "assert";
import { noPlaintextCredentials, plaintextCredentialReason } from "../../../policy/secrets/noPlaintextCredentials";
import { dockerContainer, hardenedContainer, hardenedPodSpec, workload } from "../../support/fixtures";
import { evaluateOne, resourceOf, violationsOf } from "../../support/policyHarness";
import { credentialFamilies } from "../../../policy/lib/credentialFamilies";

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
