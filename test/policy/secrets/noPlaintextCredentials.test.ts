import { strict as assert } from "assert";
import { noPlaintextCredentials, plaintextCredentialReason } from "../../../policy/secrets/noPlaintextCredentials";
import { dockerContainer, hardenedContainer, hardenedPodSpec, workload } from "../../support/fixtures";
import { evaluateOne, violationsOf } from "../../support/policyHarness";

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
            "an AWS access key id": "AKIAIOSFODNN7EXAMPLE",
            "a GitHub token": "ghp_" + "a1".repeat(18),
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
            containers: [hardenedContainer("api", { env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }] })],
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
        assert.match(plaintextCredentialReason("UPSTREAM", Buffer.from("AKIAIOSFODNN7EXAMPLE").toString("base64")) ?? "", /an AWS access key id \(base64-encoded\)/);
        assert.equal(plaintextCredentialReason("UPSTREAM", "aGVsbG8gd29ybGQgaGVsbG8="), undefined);
    });

    it("fails a Docker container whose command carries a credential, and flags no plain command", async () => {
        const container = dockerContainer("staging", { command: ["sh", "-c", "AWS_SECRET_ACCESS_KEY=abc123 exec app"] });
        const [message, ...rest] = await violationsOf(noPlaintextCredentials, [container]);
        assert.equal(rest.length, 0);
        assert.match(message, /command\[2\] is named like a credential and carries a literal value\. Fix: pass no credential on the command line/);
        assert.doesNotMatch(message, /abc123/);
        assert.deepEqual(await violationsOf(noPlaintextCredentials, [dockerContainer("staging", { command: ["app", "--log-level=info", "--secrets-dir", "/run/secrets"] })]), []);
    });

    it("reports the path of what it flagged, so reports can redact it", async () => {
        const result = await evaluateOne(noPlaintextCredentials, [dockerContainer("staging", { envs: ["LOG_LEVEL=info", "DB_PASSWORD=hunter22"] })]);
        assert.deepEqual(Object.values(result.flaggedPaths), [["envs[1]"]]);
    });
});
