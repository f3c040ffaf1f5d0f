import { strict as assert } from "assert";
import { isCredentialName, isDocumentedExample, isLiteral, isReference } from "../../../policy/lib/credentials";
import { embeddedSettings } from "../../../policy/lib/settings";

describe("credentials: names, references and literals", () => {
    it("reads references, masks and secret managers' pointers as no credential", () => {
        for (const value of [
            "${DB_PASSWORD}",
            "${DB_PASSWORD:-}",
            "$(PGPASSWORD)",
            "$PGPASSWORD",
            "{{ .Values.password }}",
            "{{ secrets.API_KEY }}",
            "%API_KEY%",
            "<your-token>",
            "@TOKEN@",
            "#{ApiKey}",
            "vault:secret/data/trading/x#value",
            "ref+vault://secret/x#/value",
            "op://trading/alpaca/credential",
            "arn:aws:secretsmanager:ap-south-1:111122223333:secret:db",
            "****",
            "xxxxxxxx",
            "${USER}:${PASS}",
            "",
        ]) {
            assert.equal(isReference(value), true, value);
            assert.equal(isLiteral(value), false, value);
        }
        for (const value of ["hunter2", "changeme", "s3cr3t-value-123", "${PREFIX}hunter2", "password"]) {
            assert.equal(isLiteral(value), true, value);
        }
    });

    it("knows the documented sample keys", () => {
        assert.equal(isDocumentedExample("AKIAIOSFODNN7EXAMPLE"), true);
        assert.equal(isDocumentedExample("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), true);
        assert.equal(isDocumentedExample("AKIAZ7QH4LMN2RXWT5UV"), false);
    });

    it("reads credential names in every spelling, and pointers to credentials as no credential", () => {
        for (const name of ["API_KEY", "--token", "awsSecretAccessKey", "spring.datasource.password", "redis-password", "DSN"]) {
            assert.equal(isCredentialName(name), true, name);
        }
        for (const name of ["API_KEY_FILE", "TOKEN_URL", "secretName", "LOG_LEVEL", "KEYBOARD_LAYOUT"]) {
            assert.equal(isCredentialName(name), false, name);
        }
    });
});

describe("settings written inside a value", () => {
    it("reads env files, properties, YAML and JSON lines, with quotes and comments removed", () => {
        const file = [
            'export REDIS_PASSWORD="abcd1234"',
            "LOG_LEVEL=info # verbose later",
            "spring.datasource.password = s3cret",
            "db:",
            "  password: hunter22",
            '  "apiKey": "k-123",',
        ].join("\n");
        assert.deepEqual(
            embeddedSettings(file, ["data", "app.env"], "data key app.env").map(s => [s.name, s.value, s.where]),
            [
                ["REDIS_PASSWORD", "abcd1234", "data key app.env, line 1 (REDIS_PASSWORD)"],
                ["LOG_LEVEL", "info", "data key app.env, line 2 (LOG_LEVEL)"],
                ["spring.datasource.password", "s3cret", "data key app.env, line 3 (spring.datasource.password)"],
                ["password", "hunter22", "data key app.env, line 5 (password)"],
                ["apiKey", "k-123", "data key app.env, line 6 (apiKey)"],
            ],
        );
    });

    it("reads a single NAME=value, but not a single `name: value` or a URL", () => {
        assert.deepEqual(
            embeddedSettings("REDIS_PASSWORD=abcd1234", ["data", "k"], "k").map(s => s.name),
            ["REDIS_PASSWORD"],
        );
        assert.deepEqual(embeddedSettings("note: hello", ["data", "k"], "k"), []);
        assert.deepEqual(embeddedSettings("https://example.com/?a=b", ["data", "k"], "k"), []);
    });
});
