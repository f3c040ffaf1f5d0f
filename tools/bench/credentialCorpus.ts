// A corpus to measure credential detection by value against: secrets in the formats secretlint's
// recommended preset and gitleaks' default rules document (built here from those formats, one entry
// per format and a second for the common ones), and harmless values a manifest commonly holds,
// including the placeholders and sample keys both tools' documentation lists as not secrets. Every
// value is made up; none is a copy of another project's fixture.
import { filler } from "../../policy/lib/credentialFamilies";

export interface CorpusEntry {
    /** Where the format is documented (secretlint rule, gitleaks rule id), or what the harmless value is. */
    source: string;
    value: string;
}

const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const a = "abcdefghijklmnopqrstuvwxyz";
const D = "0123456789";
const ALNUM = A + a + D;
const HEX = "0123456789abcdef";
const URL = ALNUM + "_-";
const B64 = ALNUM + "+/";
const g = (alphabet: string, length: number, seed: string) => filler(alphabet, length, `corpus:${seed}`);
const uuid = (seed: string) => {
    const h = g(HEX, 32, seed);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
/** A PEM block as keys are written: the body opens with its structure's magic (ASN.1 `MI…`/`MH…`, OpenSSH's `b3Blbn…`). */
const pem = (label: string, seed: string, magic = "MIIEowIBAAKCAQEA") => {
    const body = magic + g(B64, 240, seed);
    return `-----BEGIN ${label}-----\n${body.match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----`;
};
/** A 1Password service account token: `ops_` and the base64 of its JSON (padded so it ends in `fQ==`, as real ones do). */
const onePasswordToken = (seed: string, pad = 0): string => {
    const json = JSON.stringify({
        email: `${g(a + D, 13 + pad, seed)}@1passwordserviceaccounts.lcl`,
        muk: { alg: "A256GCM", ext: true, k: g(URL, 43, `${seed}k`), key_ops: ["encrypt", "decrypt"], kty: "oct", kid: "mp" },
        secretKey: `A3-${g(A + D, 6, `${seed}1`)}-${g(A + D, 6, `${seed}2`)}-${g(A + D, 5, `${seed}3`)}-${g(A + D, 5, `${seed}4`)}-${g(A + D, 5, `${seed}5`)}-${g(A + D, 5, `${seed}6`)}`,
        srpX: g(HEX, 64, `${seed}x`),
        signInAddress: "trading.1password.com",
        userAuth: { method: "SRPg-4096", alg: "PBES2g-HS256", iterations: 650000, salt: g(URL, 22, `${seed}s`) },
    });
    return json.length % 3 === 1 ? "ops_" + Buffer.from(json).toString("base64") : onePasswordToken(seed, pad + 1);
};

/** Real credential formats, each as a value under a name that says nothing. */
export const secrets: CorpusEntry[] = [
    // secretlint-rule-preset-recommend
    { source: "secretlint aws (access key id)", value: "AKIA" + g("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, "aws1") },
    { source: "secretlint aws (session key id)", value: "ASIA" + g("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, "aws2") },
    {
        source: "secretlint gcp (service account JSON)",
        value: JSON.stringify({
            type: "service_account",
            project_id: "trading",
            private_key: pem("PRIVATE KEY", "gcpjson", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
        }),
    },
    { source: "secretlint privatekey (RSA)", value: pem("RSA PRIVATE KEY", "rsa") },
    { source: "secretlint privatekey (EC)", value: pem("EC PRIVATE KEY", "ec", "MHcCAQEEI") },
    { source: "secretlint privatekey (OpenSSH)", value: pem("OPENSSH PRIVATE KEY", "openssh", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU") },
    { source: "secretlint privatekey (PKCS#8)", value: pem("PRIVATE KEY", "pkcs8", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC") },
    { source: "secretlint npm (access token)", value: "npm_" + g(ALNUM, 36, "npm") },
    { source: "secretlint npm (npmrc auth token)", value: "//registry.npmjs.org/:_authToken=npm_" + g(ALNUM, 36, "npmrc") },
    { source: "secretlint basicauth (https)", value: `https://deployer:${g(ALNUM, 14, "ba1")}@registry.trading-engine.com/v2/` },
    { source: "secretlint basicauth (ftp)", value: `ftp://uploader:${g(ALNUM, 12, "ba2")}@files.trading-engine.com/incoming` },
    { source: "secretlint slack (bot token)", value: `xoxb-${g(D, 12, "sl1")}-${g(D, 13, "sl2")}-${g(ALNUM, 24, "sl3")}` },
    {
        source: "secretlint slack (user token)",
        value: `xoxp-${g(D, 12, "sl4")}-${g(D, 12, "sl5")}-${g(D, 13, "sl6")}-${g(HEX, 32, "sl7")}`,
    },
    { source: "secretlint slack (app token)", value: `xapp-1-A${g(A + D, 10, "sl8")}-${g(D, 13, "sl9")}-${g(HEX, 64, "sl10")}` },
    {
        source: "secretlint slack (incoming webhook)",
        value: `https://hooks.slack.com/services/T${g(A + D, 8, "sw1")}/B${g(A + D, 10, "sw2")}/${g(ALNUM, 24, "sw3")}`,
    },
    { source: "secretlint sendgrid", value: `SG.${g(URL, 22, "sg1")}.${g(URL, 43, "sg2")}` },
    { source: "secretlint shopify (access token)", value: "shpat_" + g(HEX, 32, "shp1") },
    { source: "secretlint shopify (shared secret)", value: "shpss_" + g(HEX, 32, "shp2") },
    { source: "secretlint stripe (live secret key)", value: "sk_live_" + g(ALNUM, 34, "st1") },
    { source: "secretlint stripe (restricted key)", value: "rk_live_" + g(ALNUM, 34, "st2") },
    { source: "secretlint stripe (test secret key)", value: "sk_test_" + g(ALNUM, 34, "st3") },
    { source: "secretlint github (classic PAT)", value: "ghp_" + g(ALNUM, 36, "gh1") },
    { source: "secretlint github (OAuth)", value: "gho_" + g(ALNUM, 36, "gh2") },
    { source: "secretlint github (app installation)", value: "ghs_" + g(ALNUM, 36, "gh3") },
    { source: "secretlint github (fine-grained)", value: `github_pat_${g(ALNUM, 22, "gh4")}_${g(ALNUM, 59, "gh5")}` },
    { source: "secretlint gitlab (PAT)", value: "glpat-" + g(URL, 20, "gl1") },
    { source: "secretlint grafana (cloud)", value: "glc_" + g(B64, 120, "gr1") },
    { source: "secretlint grafana (service account)", value: `glsa_${g(ALNUM, 32, "gr2")}_${g(HEX, 8, "gr3")}` },
    { source: "secretlint openai (project key)", value: `sk-proj-${g(URL, 74, "oa1")}T3BlbkFJ${g(URL, 74, "oa2")}` },
    { source: "secretlint openai (legacy key)", value: `sk-${g(ALNUM, 20, "oa3")}T3BlbkFJ${g(ALNUM, 20, "oa4")}` },
    { source: "secretlint anthropic", value: `sk-ant-api03-${g(URL, 93, "an")}AA` },
    { source: "secretlint groq", value: "gsk_" + g(ALNUM, 52, "groq") },
    { source: "secretlint huggingface", value: "hf_" + g(A + a, 34, "hf") },
    { source: "secretlint linear", value: "lin_api_" + g(ALNUM, 40, "lin") },
    { source: "secretlint notion", value: `ntn_${g(D, 11, "nt1")}${g(ALNUM, 35, "nt2")}` },
    { source: "secretlint 1password (service account)", value: onePasswordToken("ops") },
    {
        source: "secretlint database-connection-string (PostgreSQL)",
        value: `postgresql://trader:${g(ALNUM, 18, "db1")}@pg.internal:5432/ticks`,
    },
    { source: "secretlint database-connection-string (MySQL)", value: `mysql://app:${g(ALNUM, 16, "db2")}@mysql.internal:3306/orders` },
    {
        source: "secretlint database-connection-string (MongoDB SRV)",
        value: `mongodb+srv://svc:${g(ALNUM, 20, "db3")}@cluster0.internal/strategies`,
    },
    { source: "secretlint hashicorp-vault (service token)", value: "hvs." + g(URL, 95, "hv1") },
    { source: "secretlint hashicorp-vault (batch token)", value: "hvb." + g(URL, 160, "hv2") },
    { source: "secretlint hashicorp-vault (recovery token)", value: "hvr." + g(URL, 95, "hv3") },
    { source: "secretlint vercel", value: "vcp_" + g(ALNUM, 24, "vc") },
    { source: "secretlint databricks", value: "dapi" + g(HEX, 32, "dbx") },
    { source: "secretlint docker", value: "dckr_pat_" + g(URL, 27, "dck") },
    { source: "secretlint figma", value: "figd_" + g(URL, 43, "fig") },
    { source: "secretlint cloudflare", value: `cfat_${g(ALNUM, 40, "cf1")}${g(HEX, 8, "cf2")}` },
    { source: "secretlint tailscale", value: `tskey-auth-${g(ALNUM, 12, "ts1")}-${g(ALNUM, 32, "ts2")}` },
    // gitleaks default rules that name themselves
    { source: "gitleaks age-secret-key", value: "AGE-SECRET-KEY-1" + g("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58, "age") },
    { source: "gitleaks alibaba-access-key-id", value: "LTAI" + g(ALNUM, 20, "ali") },
    { source: "gitleaks anthropic-admin-api-key", value: `sk-ant-admin01-${g(URL, 93, "anadm")}AA` },
    { source: "gitleaks artifactory-api-key", value: "AKCp" + g(ALNUM, 69, "art") },
    { source: "gitleaks atlassian-api-token", value: "ATATT3" + g(URL, 186, "atl") },
    { source: "gitleaks azure-ad-client-secret", value: `${g(ALNUM, 3, "az1")}8Q~${g(ALNUM + "_~.", 34, "az2")}` },
    { source: "gitleaks aws-amazon-bedrock-api-key-long-lived", value: "ABSK" + g(B64, 132, "brk") },
    { source: "gitleaks clickhouse-cloud-api-secret-key", value: "4b1d" + g(ALNUM, 38, "ch") },
    { source: "gitleaks clojars-api-token", value: "CLOJARS_" + g(a + D, 60, "clj") },
    { source: "gitleaks cloudflare-origin-ca-key", value: `v1.0-${g(HEX, 24, "cfo1")}-${g(HEX, 146, "cfo2")}` },
    { source: "gitleaks databricks-api-token", value: "dapi" + g(HEX, 32, "dbx2") + "-2" },
    { source: "gitleaks digitalocean-pat", value: "dop_v1_" + g(HEX, 64, "do1") },
    { source: "gitleaks digitalocean-refresh-token", value: "dor_v1_" + g(HEX, 64, "do2") },
    { source: "gitleaks doppler-api-token", value: "dp.pt." + g(ALNUM, 43, "dop") },
    { source: "gitleaks duffel-api-token", value: "duffel_live_" + g(URL, 43, "duf") },
    { source: "gitleaks dynatrace-api-token", value: `dt0c01.${g(A + D, 24, "dt1")}.${g(ALNUM, 64, "dt2")}` },
    { source: "gitleaks easypost-api-token", value: "EZAK" + g(ALNUM, 54, "ez") },
    { source: "gitleaks flutterwave-secret-key", value: `FLWSECK_TEST-${g("abcdefgh0123456789", 32, "flw")}-X` },
    { source: "gitleaks flyio-access-token", value: "fo1_" + g(URL, 43, "fly") },
    { source: "gitleaks frameio-api-token", value: "fio-u-" + g(URL, 64, "fio") },
    { source: "gitleaks gcp-api-key", value: "AIza" + g(URL, 35, "gcp") },
    { source: "gitleaks github-refresh-token", value: "ghr_" + g(ALNUM, 36, "ghr") },
    { source: "gitleaks gitlab-deploy-token", value: "gldt-" + g(URL, 20, "gldt") },
    { source: "gitleaks gitlab-runner-authentication-token", value: "glrt-" + g(URL, 20, "glrt") },
    { source: "gitleaks gitlab-ptt", value: "glptt-" + g(HEX, 40, "glptt") },
    { source: "gitleaks gitlab-rrt", value: "GR1348941" + g(URL, 20, "glrrt") },
    { source: "gitleaks gitlab-feed-token", value: "glft-" + g(URL, 20, "glft") },
    { source: "gitleaks gitlab-scim-token", value: "glsoat-" + g(URL, 20, "glsoat") },
    { source: "gitleaks gitlab-kubernetes-agent-token", value: "glagent-" + g(URL, 50, "glagent") },
    { source: "gitleaks grafana-api-key", value: "eyJrIjoi" + g(ALNUM, 80, "grk") },
    { source: "gitleaks harness-api-key", value: `pat.${g(URL, 22, "hn1")}.${g(ALNUM, 24, "hn2")}.${g(ALNUM, 20, "hn3")}` },
    { source: "gitleaks hashicorp-tf-api-token", value: `${g(a + D, 14, "tf1")}.atlasv1.${g(a + D, 67, "tf2")}` },
    { source: "gitleaks heroku-api-key-v2", value: "HRKU-AA" + g(URL, 58, "hk") },
    { source: "gitleaks huggingface-organization-api-token", value: "api_org_" + g(A + a, 34, "hforg") },
    { source: "gitleaks infracost-api-token", value: "ico-" + g(ALNUM, 32, "ico") },
    { source: "gitleaks jwt", value: `eyJhbGciOiJFUzI1NiJ9.eyJ${g(URL, 60, "jwt1")}.${g(URL, 86, "jwt2")}` },
    { source: "gitleaks maxmind-license-key", value: `${g(ALNUM, 6, "mm1")}_${g(ALNUM, 29, "mm2")}_mmk` },
    {
        source: "gitleaks microsoft-teams-webhook",
        value: `https://corp.webhook.office.com/webhookb2/${uuid("tw1")}@${uuid("tw2")}/IncomingWebhook/${g(a + D, 32, "tw3")}/${uuid("tw4")}`,
    },
    { source: "gitleaks npm-access-token", value: "npm_" + g(ALNUM, 36, "npm2") },
    { source: "gitleaks octopus-deploy-api-key", value: "API-" + g(A + D, 26, "oct") },
    { source: "gitleaks openshift-user-token", value: "sha256~" + g(URL, 43, "ocp") },
    { source: "gitleaks perplexity-api-key", value: "pplx-" + g(ALNUM, 48, "pplx") },
    { source: "gitleaks planetscale-password", value: "pscale_pw_" + g(URL, 43, "ps1") },
    { source: "gitleaks planetscale-api-token", value: "pscale_tkn_" + g(URL, 43, "ps2") },
    { source: "gitleaks postman-api-token", value: `PMAK-${g(HEX, 24, "pm1")}-${g(HEX, 34, "pm2")}` },
    { source: "gitleaks prefect-api-token", value: "pnu_" + g(ALNUM, 36, "pnu") },
    { source: "gitleaks pulumi-api-token", value: "pul-" + g(HEX, 40, "pul") },
    { source: "gitleaks pypi-upload-token", value: "pypi-AgEIcHlwaS5vcmc" + g(URL, 80, "pypi") },
    { source: "gitleaks readme-api-token", value: "rdme_" + g(a + D, 70, "rdme") },
    { source: "gitleaks rubygems-api-token", value: "rubygems_" + g(HEX, 48, "gem") },
    { source: "gitleaks scalingo-api-token", value: "tk-us-" + g(URL, 48, "scal") },
    { source: "gitleaks sendinblue-api-token", value: `xkeysib-${g(HEX, 64, "sib1")}-${g(ALNUM, 16, "sib2")}` },
    { source: "gitleaks sentry-user-token", value: "sntryu_" + g(HEX, 64, "sen") },
    { source: "gitleaks settlemint-personal-access-token", value: "sm_pat_" + g(ALNUM, 16, "smp") },
    { source: "gitleaks shippo-api-token", value: "shippo_live_" + g(HEX, 40, "shippo") },
    { source: "gitleaks shopify-custom-access-token", value: "shpca_" + g(HEX, 32, "shpca") },
    { source: "gitleaks slack-legacy-workspace-token", value: `xoxa-2-${g(ALNUM, 40, "slw")}` },
    { source: "gitleaks sourcegraph-access-token", value: `sgp_${g(HEX, 16, "sgp1")}_${g(HEX, 40, "sgp2")}` },
    { source: "gitleaks square-access-token", value: "sq0atp-" + g(URL, 22, "sq") },
    { source: "gitleaks stripe-access-token (restricted test key)", value: "rk_test_" + g(ALNUM, 40, "rkt") },
    { source: "gitleaks telegram-bot-api-token", value: `${g(D, 10, "tg1")}:AA${g(URL, 33, "tg2")}` },
    { source: "gitleaks twilio-api-key", value: "SK" + g(HEX, 32, "tw") },
    { source: "gitleaks vault-service-token", value: "hvs." + g(URL, 110, "hvs2") },
    { source: "gitleaks vault-batch-token", value: "hvb." + g(URL, 200, "hvb2") },
    { source: "gitleaks adobe-client-secret", value: "p8e-" + g(ALNUM, 32, "p8e") },
    { source: "gitleaks airtable-personnal-access-token", value: `pat${g(ALNUM, 14, "air1")}.${g(HEX, 64, "air2")}` },
    {
        source: "gitleaks 1password-secret-key",
        value: ["A3", g(A + D, 6, "op1"), g(A + D, 11, "op2"), g(A + D, 5, "op3"), g(A + D, 5, "op4"), g(A + D, 5, "op5")].join("-"),
    },
    { source: "gitleaks curl-auth-header (bearer)", value: "Bearer " + g(URL, 48, "bearer") },
];

/** What a manifest commonly holds that is no credential, including both tools' documented non-secrets. */
export const harmless: CorpusEntry[] = [
    ...[
        "info",
        "true",
        "8080",
        "production",
        "ghcr.io/synaptic-platform/synaptictrading/api@sha256:" + g(HEX, 64, "h1"),
        "sha256:" + g(HEX, 64, "h2"),
        g(HEX, 40, "h3"),
        g(HEX, 64, "h4"),
        uuid("h5"),
        "https://paper-api.alpaca.markets",
        "https://api.alpaca.markets/v2",
        "https://vault.platform.internal:8200",
        "http://prometheus-operated.monitoring:9090",
        "https://loki.platform.internal/loki/api/v1/push",
        "postgres://pg.internal:5432/ticks?sslmode=require",
        "redis://redis.internal:6379/0",
        "ssh://deploy@bom-shared-docker-01",
        "arn:aws:iam::111122223333:role/trading-platform-deploy-staging",
        "arn:aws:secretsmanager:ap-south-1:111122223333:secret:trading/pg-" + g(ALNUM, 6, "h6"),
        "arn:aws:acm:ap-south-1:111122223333:certificate/" + uuid("h7"),
        "secret/data/trading/staging/alpaca-paper",
        '{{- with secret "secret/data/trading/staging/postgres" -}}{{ .Data.data.value }}{{- end -}}',
        "/vault/secrets/alpaca",
        "/run/secrets/timescale-dsn",
        "0 */6 * * *",
        "30s",
        "512Mi",
        "250m",
        "10.40.0.0/16",
        "2026-11-23T10:00:00Z",
        "v1.4.0",
        "api-4c1f9e2b7d3a5c8e0f6b1a2d9c7e4f3a8b5d6c2e",
        "-XX:MaxRAMPercentage=75 -Dfile.encoding=UTF-8",
        '{"level":"info","format":"json","sampling":{"initial":100}}',
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "deregistration_delay.timeout_seconds=30",
        '[{"HTTPS":443}]',
        "topology.kubernetes.io/zone",
        "app.kubernetes.io/name",
        "trading-platform/traffic-weight",
        "service.k8s.aws/nlb",
        "sha512-" + g(B64, 86, "h8") + "==",
        Buffer.from('{"auths":{}}').toString("base64"),
        Buffer.from("log_level = info\nworkers = 4\n").toString("base64"),
        pem("CERTIFICATE", "hcert", "MIIDdzCCAl+gAwIBAgIE"),
        pem("PUBLIC KEY", "hpub", "MIIBIjANBgkqhkiG9w0BAQEFAAOC"),
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + g(B64, 43, "h9") + " deploy@ci",
        "pk_live_" + g(ALNUM, 34, "h10"),
        "https://" + g(HEX, 32, "h11") + "@o0.ingest.sentry.io/4504",
        "KEYBOARD_LAYOUT=us",
        "LOG_LEVEL=info\nWORKERS=4\nBROKER_ENDPOINT=https://paper-api.alpaca.markets",
        "AKIA is the prefix of an AWS access key id",
        "sk_live_ keys are kept in Vault",
    ].map(value => ({ source: "a value a manifest commonly holds", value })),
    // References and placeholders: documented as not secrets by secretlint's basicauth and
    // database-connection-string rules and gitleaks' global allowlist, and named in the issue.
    ...[
        "${DB_PASSWORD}",
        "$(PGPASSWORD)",
        "{{ .Values.password }}",
        "${{ secrets.API_TOKEN }}",
        "%API_KEY%",
        "$API_KEY",
        "https://${username}:${password}@api.example.com/v1",
        "https://{{user}}:{{pass}}@config.example.com",
        "https://username:password@example.com/api",
        "https://YOUR_USERNAME:YOUR_PASSWORD@api.service.com",
        "https://user:abc@api.com/v1",
        "https://testuser:xxxx@demo.com",
        "mongodb://user:password@db.example.com:27017/mydb",
        "postgres://postgres:postgres@localhost:5432/database",
        "mysql://admin:REPLACE_WITH_PASSWORD@mysql.server.com:3306/database",
        "postgres://$(PGUSER):$(PGPASSWORD)@$(PGHOST)/$(PGDATABASE)",
        "postgres://postgres@${POSTGRES_HOST:-localhost}:${POSTGRES_PORT:-5432}/app",
        "-----BEGIN PRIVATE KEY-----\nxxx\n-----END PRIVATE KEY-----",
        "sk_live_" + "x".repeat(24),
        "ghp_" + "x".repeat(36),
    ].map(value => ({ source: "a placeholder or reference", value })),
    // Documented sample keys.
    ...["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAI44QH8DHBEXAMPLE"].map(value => ({
        source: "a documented sample key",
        value,
    })),
];
