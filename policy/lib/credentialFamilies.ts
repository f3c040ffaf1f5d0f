// Credential formats that name themselves: a value of one of these shapes is a credential whatever the
// setting holding it is called. The formats (prefixes, lengths, alphabets) are public facts, from the
// vendors' documentation and the public rule sets of gitleaks (config/gitleaks.toml, rule ids in
// `source`) and secretlint (its recommended preset); the patterns here are written for this pack.
//
// Each family carries a made-up value of its format and a near miss (the same prefix, the wrong length
// or alphabet), and test/policy/lib/credentialFamilies.test.ts matches both. Examples are generated, so
// no well-formed token sits in the source for a scanner to trip on.

export interface CredentialFamily {
    /** Stable id: what the tests and the measurements name it by. */
    id: string;
    /** How a violation names it: "a HashiCorp Vault service token". */
    label: string;
    /** The format, without flags; the detector adds its own word boundaries. */
    pattern: string;
    /** Where the format is documented. */
    source: string;
    /** A value of the format, and one that is close but is not. */
    example: string;
    nearMiss: string;
}

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const ALNUM = UPPER + LOWER + DIGITS;
const UPPER_DIGITS = UPPER + DIGITS;
const LOWER_DIGITS = LOWER + DIGITS;
const HEX = "0123456789abcdef";
const URL_SAFE = ALNUM + "_-";
const BASE64 = ALNUM + "+/";

/** `length` characters of `alphabet`, the same for the same seed: random-looking, reproducible. */
export function filler(alphabet: string, length: number, seed: string): string {
    let h = 2166136261;
    for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    let out = "";
    for (let i = 0; i < length; i++) {
        h = Math.imul(h ^ (h >>> 15), 2246822507) ^ (i + 1);
        h = Math.imul(h ^ (h >>> 13), 3266489909);
        h ^= h >>> 16;
        out += alphabet[(h >>> 0) % alphabet.length];
    }
    return out;
}
const f = filler;

export const credentialFamilies: readonly CredentialFamily[] = [
    // Cloud providers
    {
        id: "aws-access-key-id",
        label: "an AWS access key id",
        pattern: "(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}",
        source: "AWS IAM identifiers (unique ID prefixes); gitleaks aws-access-token",
        example: "AKIA" + f("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, "aws"),
        nearMiss: "AKIA" + f(UPPER, 12, "aws"),
    },
    {
        id: "aws-bedrock-api-key",
        label: "an Amazon Bedrock API key",
        pattern: "ABSK[A-Za-z0-9+/]{109,269}={0,2}",
        source: "gitleaks aws-amazon-bedrock-api-key-long-lived",
        example: "ABSK" + f(BASE64, 120, "bedrock"),
        nearMiss: "ABSK" + f(BASE64, 40, "bedrock"),
    },
    {
        id: "gcp-api-key",
        label: "a Google Cloud API key",
        pattern: "AIza[0-9A-Za-z_-]{35}",
        source: "gitleaks gcp-api-key",
        example: "AIza" + f(URL_SAFE, 35, "gcp"),
        nearMiss: "AIza" + f(URL_SAFE, 20, "gcp"),
    },
    {
        id: "google-oauth-client-secret",
        label: "a Google OAuth client secret",
        pattern: "GOCSPX-[A-Za-z0-9_-]{28}",
        source: "GitHub secret scanning: google_oauth_client_secret",
        example: "GOCSPX-" + f(URL_SAFE, 28, "gocspx"),
        nearMiss: "GOCSPX-" + f(URL_SAFE, 10, "gocspx"),
    },
    {
        id: "google-oauth-access-token",
        label: "a Google OAuth access token",
        pattern: "ya29\\.[0-9A-Za-z_-]{30,}",
        source: "Google OAuth 2.0 access tokens (ya29.)",
        example: "ya29." + f(URL_SAFE, 120, "ya29"),
        nearMiss: "ya29." + f(URL_SAFE, 8, "ya29"),
    },
    {
        id: "azure-ad-client-secret",
        label: "an Azure AD (Entra ID) client secret",
        pattern: "[a-zA-Z0-9_~.]{3}[0-9]Q~[a-zA-Z0-9_~.-]{31,34}",
        source: "gitleaks azure-ad-client-secret",
        example: f(ALNUM, 3, "azq") + "8Q~" + f(ALNUM + "_~.", 34, "azq"),
        nearMiss: f(ALNUM, 3, "azq") + "8Q~" + f(ALNUM, 12, "azq"),
    },
    {
        id: "azure-storage-key",
        label: "an Azure Storage account key",
        pattern: "AccountKey=[A-Za-z0-9+/]{86}==",
        source: "Azure Storage connection strings (AccountKey=)",
        example:
            "DefaultEndpointsProtocol=https;AccountName=trading;AccountKey=" + f(BASE64, 86, "azs") + "==;EndpointSuffix=core.windows.net",
        nearMiss: "DefaultEndpointsProtocol=https;AccountName=trading;EndpointSuffix=core.windows.net",
    },
    {
        id: "azure-sas-signature",
        label: "an Azure shared access signature",
        pattern: "[?&]sig=[A-Za-z0-9%+/]{40,}(?:=|%3D){0,2}",
        source: "Azure SAS tokens (sv=…&sig=)",
        example: "https://trading.blob.core.windows.net/c?sv=2022-11-02&ss=b&sp=r&sig=" + f(ALNUM, 43, "sas") + "%3D",
        nearMiss: "https://trading.blob.core.windows.net/c?sv=2022-11-02&ss=b&sp=r",
    },
    {
        id: "alibaba-access-key-id",
        label: "an Alibaba Cloud AccessKey id",
        pattern: "LTAI[A-Za-z0-9]{20}",
        source: "gitleaks alibaba-access-key-id",
        example: "LTAI" + f(ALNUM, 20, "ltai"),
        nearMiss: "LTAI" + f(ALNUM, 8, "ltai"),
    },
    {
        id: "digitalocean-token",
        label: "a DigitalOcean token",
        pattern: "do[opr]_v1_[a-f0-9]{64}",
        source: "gitleaks digitalocean-pat, -access-token, -refresh-token",
        example: "dop_v1_" + f(HEX, 64, "do"),
        nearMiss: "dop_v1_" + f(HEX, 20, "do"),
    },
    {
        id: "cloudflare-token",
        label: "a Cloudflare API token",
        pattern: "(?:cfk|cfut|cfat)_[A-Za-z0-9]{40}[0-9a-f]{8}",
        source: "secretlint cloudflare",
        example: "cfut_" + f(ALNUM, 40, "cf") + f(HEX, 8, "cf"),
        nearMiss: "cfut_" + f(ALNUM, 12, "cf"),
    },
    {
        id: "cloudflare-origin-ca-key",
        label: "a Cloudflare Origin CA key",
        pattern: "v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}",
        source: "gitleaks cloudflare-origin-ca-key",
        example: "v1.0-" + f(HEX, 24, "cfo") + "-" + f(HEX, 146, "cfo"),
        nearMiss: "v1.0-" + f(HEX, 24, "cfo"),
    },
    // Secret stores and identity
    {
        id: "vault-service-token",
        label: "a HashiCorp Vault service token",
        pattern: "hvs\\.[A-Za-z0-9_-]{90,120}",
        source: "Vault token prefixes (hvs.); gitleaks vault-service-token, secretlint hashicorp-vault",
        example: "hvs." + f(URL_SAFE, 95, "hvs"),
        nearMiss: "hvs." + f(URL_SAFE, 24, "hvs"),
    },
    {
        id: "vault-batch-token",
        label: "a HashiCorp Vault batch token",
        pattern: "hvb\\.[A-Za-z0-9_-]{138,300}",
        source: "Vault token prefixes (hvb.); gitleaks vault-batch-token",
        example: "hvb." + f(URL_SAFE, 150, "hvb"),
        nearMiss: "hvb." + f(URL_SAFE, 60, "hvb"),
    },
    {
        id: "vault-recovery-token",
        label: "a HashiCorp Vault recovery token",
        pattern: "hvr\\.[A-Za-z0-9_-]{90,120}",
        source: "Vault token prefixes (hvr.); secretlint hashicorp-vault",
        example: "hvr." + f(URL_SAFE, 95, "hvr"),
        nearMiss: "hvr." + f(URL_SAFE, 30, "hvr"),
    },
    {
        id: "terraform-cloud-token",
        label: "a Terraform Cloud API token",
        pattern: "[a-z0-9]{14}\\.atlasv1\\.[a-z0-9_=-]{60,70}",
        source: "gitleaks hashicorp-tf-api-token",
        example: f(LOWER_DIGITS, 14, "tfc") + ".atlasv1." + f(LOWER_DIGITS, 67, "tfc"),
        nearMiss: f(LOWER_DIGITS, 14, "tfc") + ".atlasv2." + f(LOWER_DIGITS, 67, "tfc"),
    },
    {
        id: "onepassword-service-account-token",
        label: "a 1Password service account token",
        pattern: "ops_ey[A-Za-z0-9+/=_-]{100,}",
        source: "gitleaks 1password-service-account-token, secretlint 1password",
        example: "ops_eyJ" + f(BASE64, 260, "ops"),
        nearMiss: "ops_" + f(ALNUM, 30, "ops"),
    },
    {
        id: "onepassword-secret-key",
        label: "a 1Password account secret key",
        pattern: "A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
        source: "gitleaks 1password-secret-key",
        example: [
            "A3",
            f(UPPER_DIGITS, 6, "1p1"),
            f(UPPER_DIGITS, 11, "1p2"),
            f(UPPER_DIGITS, 5, "1p3"),
            f(UPPER_DIGITS, 5, "1p4"),
            f(UPPER_DIGITS, 5, "1p5"),
        ].join("-"),
        nearMiss: ["A3", f(UPPER_DIGITS, 6, "1p1"), f(UPPER_DIGITS, 5, "1p3")].join("-"),
    },
    {
        id: "doppler-token",
        label: "a Doppler token",
        pattern: "dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}",
        source: "gitleaks doppler-api-token",
        example: "dp.pt." + f(ALNUM, 43, "dp"),
        nearMiss: "dp.pt." + f(ALNUM, 10, "dp"),
    },
    {
        id: "okta-ssws-token",
        label: "an Okta API token",
        pattern: "SSWS [0-9A-Za-z_-]{42}",
        source: "Okta API tokens (Authorization: SSWS)",
        example: "SSWS 00" + f(URL_SAFE, 40, "okta"),
        nearMiss: "SSWS " + f(URL_SAFE, 10, "okta"),
    },
    // Source control, registries and CI
    {
        id: "github-token",
        label: "a GitHub token",
        pattern: "gh[pousr]_[A-Za-z0-9]{36,255}",
        source: "GitHub token prefixes (ghp_, gho_, ghu_, ghs_, ghr_); gitleaks github-pat, secretlint github",
        example: "ghp_" + f(ALNUM, 36, "ghp"),
        nearMiss: "ghp_" + f(ALNUM, 20, "ghp"),
    },
    {
        id: "github-fine-grained-token",
        label: "a GitHub fine-grained token",
        pattern: "github_pat_[A-Za-z0-9_]{50,255}",
        source: "gitleaks github-fine-grained-pat, secretlint github",
        example: "github_pat_" + f(ALNUM, 22, "ghf") + "_" + f(ALNUM, 59, "ghf"),
        nearMiss: "github_pat_" + f(ALNUM, 10, "ghf"),
    },
    {
        id: "gitlab-token",
        label: "a GitLab token",
        pattern: "(?:glpat|gldt|glft|glrt|glsoat|glffct|glagent|gloas|glimt|glptt|glcbt)-[0-9A-Za-z_.-]{20,300}",
        source: "GitLab token prefixes; gitleaks gitlab-pat, -deploy-token, -runner-authentication-token...",
        example: "glpat-" + f(URL_SAFE, 20, "glpat"),
        nearMiss: "glpat-" + f(URL_SAFE, 12, "glpat"),
    },
    {
        id: "gitlab-runner-registration-token",
        label: "a GitLab runner registration token",
        pattern: "GR1348941[0-9A-Za-z_-]{20}",
        source: "gitleaks gitlab-rrt",
        example: "GR1348941" + f(URL_SAFE, 20, "glrrt"),
        nearMiss: "GR1348941" + f(URL_SAFE, 8, "glrrt"),
    },
    {
        id: "npm-token",
        label: "an npm access token",
        pattern: "npm_[A-Za-z0-9]{36}",
        source: "gitleaks npm-access-token, secretlint npm",
        example: "npm_" + f(ALNUM, 36, "npm"),
        nearMiss: "npm_" + f(ALNUM, 20, "npm"),
    },
    {
        id: "pypi-token",
        label: "a PyPI upload token",
        pattern: "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}",
        source: "gitleaks pypi-upload-token",
        example: "pypi-AgEIcHlwaS5vcmc" + f(URL_SAFE, 70, "pypi"),
        nearMiss: "pypi-AgEIcHlwaS5vcmc" + f(URL_SAFE, 10, "pypi"),
    },
    {
        id: "rubygems-token",
        label: "a RubyGems API token",
        pattern: "rubygems_[a-f0-9]{48}",
        source: "gitleaks rubygems-api-token",
        example: "rubygems_" + f(HEX, 48, "gem"),
        nearMiss: "rubygems_" + f(HEX, 20, "gem"),
    },
    {
        id: "docker-hub-token",
        label: "a Docker Hub personal access token",
        pattern: "dckr_pat_[A-Za-z0-9_-]{27}",
        source: "secretlint docker",
        example: "dckr_pat_" + f(URL_SAFE, 27, "dckr"),
        nearMiss: "dckr_pat_" + f(URL_SAFE, 12, "dckr"),
    },
    {
        id: "artifactory-token",
        label: "a JFrog Artifactory API key",
        pattern: "AKCp[A-Za-z0-9]{69}",
        source: "gitleaks artifactory-api-key",
        example: "AKCp" + f(ALNUM, 69, "akcp"),
        nearMiss: "AKCp" + f(ALNUM, 20, "akcp"),
    },
    {
        id: "pulumi-token",
        label: "a Pulumi access token",
        pattern: "pul-[a-f0-9]{40}",
        source: "gitleaks pulumi-api-token",
        example: "pul-" + f(HEX, 40, "pul"),
        nearMiss: "pul-" + f(HEX, 12, "pul"),
    },
    {
        id: "octopus-deploy-key",
        label: "an Octopus Deploy API key",
        pattern: "API-[A-Z0-9]{26}",
        source: "gitleaks octopus-deploy-api-key",
        example: "API-" + f(UPPER_DIGITS, 26, "octo"),
        nearMiss: "API-" + f(UPPER_DIGITS, 8, "octo"),
    },
    {
        id: "harness-token",
        label: "a Harness API token",
        pattern: "(?:pat|sat)\\.[a-zA-Z0-9_-]{22}\\.[a-zA-Z0-9]{24}\\.[a-zA-Z0-9]{20}",
        source: "gitleaks harness-api-key",
        example: "pat." + f(URL_SAFE, 22, "h1") + "." + f(ALNUM, 24, "h2") + "." + f(ALNUM, 20, "h3"),
        nearMiss: "pat." + f(URL_SAFE, 22, "h1"),
    },
    {
        id: "openshift-token",
        label: "an OpenShift user token",
        pattern: "sha256~[A-Za-z0-9_-]{43}",
        source: "gitleaks openshift-user-token",
        example: "sha256~" + f(URL_SAFE, 43, "ocp"),
        nearMiss: "sha256:" + f(HEX, 64, "ocp"),
    },
    {
        id: "atlassian-token",
        label: "an Atlassian API token",
        pattern: "ATATT3[A-Za-z0-9_=-]{186}",
        source: "gitleaks atlassian-api-token",
        example: "ATATT3" + f(URL_SAFE, 186, "atl"),
        nearMiss: "ATATT3" + f(URL_SAFE, 30, "atl"),
    },
    {
        id: "sourcegraph-token",
        label: "a Sourcegraph access token",
        pattern: "sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}",
        source: "gitleaks sourcegraph-access-token",
        example: "sgp_" + f(HEX, 16, "sgp") + "_" + f(HEX, 40, "sgp"),
        nearMiss: "sgp_" + f(HEX, 16, "sgp"),
    },
    // Messaging and webhooks
    {
        id: "slack-token",
        label: "a Slack token",
        pattern: "xox[abpesor]-[0-9A-Za-z-]{10,250}",
        source: "Slack token types (xoxb-, xoxp-, xoxa-, xoxr-, xoxe-); gitleaks slack-*-token, secretlint slack",
        example: "xoxb-" + f(DIGITS, 12, "xb1") + "-" + f(DIGITS, 13, "xb2") + "-" + f(ALNUM, 24, "xb3"),
        nearMiss: "xoxb-" + f(DIGITS, 4, "xb1"),
    },
    {
        id: "slack-app-token",
        label: "a Slack app-level token",
        pattern: "xapp-[0-9]-[A-Z0-9]{8,}-[0-9]{10,}-[a-f0-9]{20,}",
        source: "gitleaks slack-app-token, secretlint slack",
        example: "xapp-1-A" + f(UPPER_DIGITS, 10, "xapp") + "-" + f(DIGITS, 13, "xapp") + "-" + f(HEX, 64, "xapp"),
        nearMiss: "xapp-1-" + f(UPPER_DIGITS, 10, "xapp"),
    },
    {
        id: "slack-webhook-url",
        label: "a Slack incoming webhook URL",
        pattern: "hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}",
        source: "gitleaks slack-webhook-url, secretlint slack",
        example:
            "https://hooks.slack.com/services/T" +
            f(UPPER_DIGITS, 8, "sw1") +
            "/B" +
            f(UPPER_DIGITS, 10, "sw2") +
            "/" +
            f(ALNUM, 24, "sw3"),
        nearMiss: "https://hooks.slack.com/services/",
    },
    {
        id: "discord-webhook-url",
        label: "a Discord webhook URL",
        pattern: "discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,68}",
        source: "Discord webhook URLs",
        example: "https://discord.com/api/webhooks/" + f(DIGITS, 18, "dw") + "/" + f(URL_SAFE, 68, "dw"),
        nearMiss: "https://discord.com/api/webhooks/" + f(DIGITS, 18, "dw"),
    },
    {
        id: "teams-webhook-url",
        label: "a Microsoft Teams webhook URL",
        pattern: "\\.webhook\\.office\\.com/webhookb2/[a-f0-9-]{36}@[a-f0-9-]{36}/IncomingWebhook/[a-z0-9]{32}",
        source: "gitleaks microsoft-teams-webhook",
        example: `https://trading.webhook.office.com/webhookb2/${uuid("t1")}@${uuid("t2")}/IncomingWebhook/${f(LOWER_DIGITS, 32, "t3")}/${uuid("t4")}`,
        nearMiss: "https://trading.webhook.office.com/webhookb2/",
    },
    {
        id: "telegram-bot-token",
        label: "a Telegram bot token",
        pattern: "[0-9]{8,10}:AA[0-9A-Za-z_-]{33}",
        source: "gitleaks telegram-bot-api-token",
        example: f(DIGITS, 10, "tg") + ":AA" + f(URL_SAFE, 33, "tg"),
        nearMiss: f(DIGITS, 10, "tg") + ":AA" + f(URL_SAFE, 10, "tg"),
    },
    {
        id: "sendgrid-key",
        label: "a SendGrid API key",
        pattern: "SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{16,64}",
        source: "gitleaks sendgrid-api-token, secretlint sendgrid",
        example: "SG." + f(URL_SAFE, 22, "sg1") + "." + f(URL_SAFE, 43, "sg2"),
        nearMiss: "SG." + f(URL_SAFE, 8, "sg1"),
    },
    {
        id: "brevo-key",
        label: "a Brevo (Sendinblue) API key",
        pattern: "xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}",
        source: "gitleaks sendinblue-api-token",
        example: "xkeysib-" + f(HEX, 64, "brevo") + "-" + f(ALNUM, 16, "brevo"),
        nearMiss: "xkeysib-" + f(HEX, 20, "brevo"),
    },
    {
        id: "twilio-key",
        label: "a Twilio API key",
        pattern: "SK[0-9a-f]{32}",
        source: "gitleaks twilio-api-key",
        example: "SK" + f(HEX, 32, "twilio"),
        nearMiss: "SK" + f(HEX, 16, "twilio"),
    },
    // Payments and commerce
    {
        id: "stripe-key",
        label: "a Stripe secret or restricted key",
        pattern: "(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{20,99}",
        source: "Stripe API keys (sk_live_, rk_live_); gitleaks stripe-access-token, secretlint stripe",
        example: "sk_live_" + f(ALNUM, 24, "stripe"),
        nearMiss: "pk_live_" + f(ALNUM, 24, "stripe"),
    },
    {
        id: "stripe-webhook-secret",
        label: "a Stripe webhook signing secret",
        pattern: "whsec_[A-Za-z0-9]{32,}",
        source: "Stripe webhook signing secrets (whsec_)",
        example: "whsec_" + f(ALNUM, 32, "whsec"),
        nearMiss: "whsec_" + f(ALNUM, 10, "whsec"),
    },
    {
        id: "square-token",
        label: "a Square access token or secret",
        pattern: "sq0(?:atp|csp)-[0-9A-Za-z_-]{22,43}",
        source: "gitleaks square-access-token",
        example: "sq0atp-" + f(URL_SAFE, 22, "sq"),
        nearMiss: "sq0idp-" + f(URL_SAFE, 22, "sq"),
    },
    {
        id: "shopify-token",
        label: "a Shopify access token or shared secret",
        pattern: "shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",
        source: "gitleaks shopify-*, secretlint shopify",
        example: "shpat_" + f(HEX, 32, "shp"),
        nearMiss: "shpat_" + f(HEX, 16, "shp"),
    },
    {
        id: "shippo-token",
        label: "a Shippo API token",
        pattern: "shippo_(?:live|test)_[a-fA-F0-9]{40}",
        source: "gitleaks shippo-api-token",
        example: "shippo_live_" + f(HEX, 40, "shippo"),
        nearMiss: "shippo_live_" + f(HEX, 12, "shippo"),
    },
    {
        id: "easypost-token",
        label: "an EasyPost API key",
        pattern: "EZ[AT]K[A-Za-z0-9]{54}",
        source: "gitleaks easypost-api-token",
        example: "EZAK" + f(ALNUM, 54, "ezak"),
        nearMiss: "EZAK" + f(ALNUM, 20, "ezak"),
    },
    {
        id: "duffel-token",
        label: "a Duffel API token",
        pattern: "duffel_(?:test|live)_[A-Za-z0-9_=-]{43}",
        source: "gitleaks duffel-api-token",
        example: "duffel_live_" + f(URL_SAFE, 43, "duffel"),
        nearMiss: "duffel_live_" + f(URL_SAFE, 12, "duffel"),
    },
    {
        id: "flutterwave-key",
        label: "a Flutterwave secret key",
        pattern: "FLWSECK(?:_TEST)?-[a-h0-9]{32}-X",
        source: "gitleaks flutterwave-secret-key",
        example: "FLWSECK_TEST-" + f("abcdefgh0123456789", 32, "flw") + "-X",
        nearMiss: "FLWPUBK_TEST-" + f("abcdefgh0123456789", 32, "flw") + "-X",
    },
    // AI APIs
    {
        id: "openai-key",
        label: "an OpenAI API key",
        pattern: "sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,160}T3BlbkFJ[A-Za-z0-9_-]{20,160}",
        source: "OpenAI keys carry T3BlbkFJ (base64 of 'OpenAI'); gitleaks openai-api-key, secretlint openai",
        example: "sk-proj-" + f(URL_SAFE, 74, "oa1") + "T3BlbkFJ" + f(URL_SAFE, 74, "oa2"),
        nearMiss: "sk-proj-" + f(URL_SAFE, 40, "oa1"),
    },
    {
        id: "anthropic-key",
        label: "an Anthropic API key",
        pattern: "sk-ant-(?:api|admin)0[0-9]-[A-Za-z0-9_-]{80,128}AA",
        source: "gitleaks anthropic-api-key, secretlint anthropic",
        example: "sk-ant-api03-" + f(URL_SAFE, 93, "ant") + "AA",
        nearMiss: "sk-ant-api03-" + f(URL_SAFE, 20, "ant"),
    },
    {
        id: "huggingface-token",
        label: "a Hugging Face token",
        pattern: "(?:hf|api_org)_[A-Za-z]{34}",
        source: "gitleaks huggingface-access-token, secretlint huggingface",
        example: "hf_" + f(UPPER + LOWER, 34, "hf"),
        nearMiss: "hf_" + f(UPPER + LOWER, 12, "hf"),
    },
    {
        id: "groq-key",
        label: "a Groq API key",
        pattern: "gsk_[A-Za-z0-9]{52}",
        source: "secretlint groq",
        example: "gsk_" + f(ALNUM, 52, "groq"),
        nearMiss: "gsk_" + f(ALNUM, 20, "groq"),
    },
    {
        id: "perplexity-key",
        label: "a Perplexity API key",
        pattern: "pplx-[A-Za-z0-9]{48}",
        source: "gitleaks perplexity-api-key",
        example: "pplx-" + f(ALNUM, 48, "pplx"),
        nearMiss: "pplx-" + f(ALNUM, 20, "pplx"),
    },
    {
        id: "xai-key",
        label: "an xAI API key",
        pattern: "xai-[A-Za-z0-9]{80}",
        source: "xAI API keys (xai-)",
        example: "xai-" + f(ALNUM, 80, "xai"),
        nearMiss: "xai-" + f(ALNUM, 20, "xai"),
    },
    {
        id: "replicate-token",
        label: "a Replicate API token",
        pattern: "r8_[A-Za-z0-9]{37}",
        source: "Replicate API tokens (r8_)",
        example: "r8_" + f(ALNUM, 37, "r8"),
        nearMiss: "r8_" + f(ALNUM, 12, "r8"),
    },
    // Productivity, observability and data platforms
    {
        id: "linear-key",
        label: "a Linear API key",
        pattern: "lin_api_[A-Za-z0-9]{40}",
        source: "gitleaks linear-api-key, secretlint linear",
        example: "lin_api_" + f(ALNUM, 40, "linear"),
        nearMiss: "lin_api_" + f(ALNUM, 12, "linear"),
    },
    {
        id: "notion-token",
        label: "a Notion integration token",
        pattern: "(?:ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})",
        source: "gitleaks notion-api-token, secretlint notion",
        example: "ntn_" + f(DIGITS, 11, "ntn") + f(ALNUM, 35, "ntn"),
        nearMiss: "ntn_" + f(DIGITS, 11, "ntn"),
    },
    {
        id: "figma-token",
        label: "a Figma personal access token",
        pattern: "figd_[A-Za-z0-9_-]{40,200}",
        source: "secretlint figma",
        example: "figd_" + f(URL_SAFE, 43, "figd"),
        nearMiss: "figd_" + f(URL_SAFE, 12, "figd"),
    },
    {
        id: "vercel-token",
        label: "a Vercel token",
        pattern: "(?:vcp|vci|vca|vcr|vck)_[A-Za-z0-9]{20,60}",
        source: "secretlint vercel",
        example: "vcp_" + f(ALNUM, 24, "vercel"),
        nearMiss: "vcp_" + f(ALNUM, 10, "vercel"),
    },
    {
        id: "tailscale-key",
        label: "a Tailscale key",
        pattern: "tskey-[a-z]{2,20}-[0-9A-Za-z_]{8,40}-[0-9A-Za-z_]{16,60}",
        source: "secretlint tailscale",
        example: "tskey-auth-" + f(ALNUM, 12, "ts1") + "-" + f(ALNUM, 32, "ts2"),
        nearMiss: "tskey-auth-" + f(ALNUM, 12, "ts1"),
    },
    {
        id: "databricks-token",
        label: "a Databricks token",
        pattern: "dapi[a-f0-9]{32}(?:-[0-9])?",
        source: "gitleaks databricks-api-token, secretlint databricks",
        example: "dapi" + f(HEX, 32, "dapi"),
        nearMiss: "dapi" + f(HEX, 16, "dapi"),
    },
    {
        id: "grafana-token",
        label: "a Grafana token",
        pattern: "(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|eyJrIjoi[A-Za-z0-9]{70,400}={0,3})",
        source: "gitleaks grafana-*, secretlint grafana",
        example: "glsa_" + f(ALNUM, 32, "glsa") + "_" + f(HEX, 8, "glsa"),
        nearMiss: "glsa_" + f(ALNUM, 12, "glsa"),
    },
    {
        id: "sentry-token",
        label: "a Sentry auth token",
        pattern: "(?:sntryu_[a-f0-9]{64}|sntrys_eyJ[A-Za-z0-9+/=_]{60,})",
        source: "gitleaks sentry-user-token, sentry-org-token",
        example: "sntryu_" + f(HEX, 64, "sentry"),
        nearMiss: "sntryu_" + f(HEX, 20, "sentry"),
    },
    {
        id: "new-relic-key",
        label: "a New Relic user API key",
        pattern: "NRAK-[A-Z0-9]{27}",
        source: "New Relic user keys (NRAK-)",
        example: "NRAK-" + f(UPPER_DIGITS, 27, "nrak"),
        nearMiss: "NRAK-" + f(UPPER_DIGITS, 10, "nrak"),
    },
    {
        id: "dynatrace-token",
        label: "a Dynatrace API token",
        pattern: "dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}",
        source: "gitleaks dynatrace-api-token",
        example: "dt0c01." + f(UPPER_DIGITS, 24, "dt") + "." + f(ALNUM, 64, "dt"),
        nearMiss: "dt0c01." + f(UPPER_DIGITS, 24, "dt"),
    },
    {
        id: "postman-key",
        label: "a Postman API key",
        pattern: "PMAK-[a-f0-9]{24}-[a-f0-9]{34}",
        source: "gitleaks postman-api-token",
        example: "PMAK-" + f(HEX, 24, "pmak") + "-" + f(HEX, 34, "pmak"),
        nearMiss: "PMAK-" + f(HEX, 24, "pmak"),
    },
    {
        id: "heroku-key",
        label: "a Heroku API key",
        pattern: "HRKU-AA[0-9a-zA-Z_-]{58}",
        source: "gitleaks heroku-api-key-v2",
        example: "HRKU-AA" + f(URL_SAFE, 58, "heroku"),
        nearMiss: "HRKU-AA" + f(URL_SAFE, 20, "heroku"),
    },
    {
        id: "flyio-token",
        label: "a Fly.io token",
        pattern: "(?:fo1_[A-Za-z0-9_-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3})",
        source: "gitleaks flyio-access-token",
        example: "fo1_" + f(URL_SAFE, 43, "fly"),
        nearMiss: "fo1_" + f(URL_SAFE, 12, "fly"),
    },
    {
        id: "planetscale-token",
        label: "a PlanetScale token or password",
        pattern: "pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_=.-]{32,64}",
        source: "gitleaks planetscale-*",
        example: "pscale_pw_" + f(URL_SAFE, 43, "pscale"),
        nearMiss: "pscale_pw_" + f(URL_SAFE, 10, "pscale"),
    },
    {
        id: "prefect-token",
        label: "a Prefect API key",
        pattern: "pnu_[A-Za-z0-9]{36}",
        source: "gitleaks prefect-api-token",
        example: "pnu_" + f(ALNUM, 36, "pnu"),
        nearMiss: "pnu_" + f(ALNUM, 12, "pnu"),
    },
    {
        id: "clickhouse-cloud-key",
        label: "a ClickHouse Cloud API secret",
        pattern: "4b1d[A-Za-z0-9]{38}",
        source: "gitleaks clickhouse-cloud-api-secret-key",
        example: "4b1d" + f(ALNUM, 38, "ch"),
        nearMiss: "4b1d" + f(ALNUM, 12, "ch"),
    },
    {
        id: "airtable-token",
        label: "an Airtable personal access token",
        pattern: "pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}",
        source: "gitleaks airtable-personnal-access-token",
        example: "pat" + f(ALNUM, 14, "air") + "." + f(HEX, 64, "air"),
        nearMiss: "pat" + f(ALNUM, 14, "air"),
    },
    {
        id: "mapbox-secret-token",
        label: "a Mapbox secret token",
        pattern: "sk\\.eyJ[A-Za-z0-9_-]{40,}\\.[A-Za-z0-9_-]{20,}",
        source: "Mapbox secret tokens (sk.eyJ)",
        example: "sk.eyJ" + f(URL_SAFE, 60, "mb1") + "." + f(URL_SAFE, 22, "mb2"),
        nearMiss: "pk.eyJ" + f(URL_SAFE, 60, "mb1") + "." + f(URL_SAFE, 22, "mb2"),
    },
    {
        id: "age-secret-key",
        label: "an age encryption secret key",
        pattern: "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
        source: "gitleaks age-secret-key",
        example: "AGE-SECRET-KEY-1" + f("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58, "age"),
        nearMiss: "AGE-SECRET-KEY-1" + f("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 20, "age"),
    },
    {
        id: "clojars-token",
        label: "a Clojars deploy token",
        pattern: "CLOJARS_[a-z0-9]{60}",
        source: "gitleaks clojars-api-token",
        example: "CLOJARS_" + f(LOWER_DIGITS, 60, "clojars"),
        nearMiss: "CLOJARS_" + f(LOWER_DIGITS, 20, "clojars"),
    },
    {
        id: "infracost-token",
        label: "an Infracost API key",
        pattern: "ico-[A-Za-z0-9]{32}",
        source: "gitleaks infracost-api-token",
        example: "ico-" + f(ALNUM, 32, "ico"),
        nearMiss: "ico-" + f(ALNUM, 12, "ico"),
    },
    {
        id: "maxmind-license-key",
        label: "a MaxMind license key",
        pattern: "[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk",
        source: "gitleaks maxmind-license-key",
        example: f(ALNUM, 6, "mmk1") + "_" + f(ALNUM, 29, "mmk2") + "_mmk",
        nearMiss: f(ALNUM, 6, "mmk1") + "_" + f(ALNUM, 29, "mmk2") + "_mmx",
    },
    {
        id: "readme-token",
        label: "a ReadMe API key",
        pattern: "rdme_[a-z0-9]{70}",
        source: "gitleaks readme-api-token",
        example: "rdme_" + f(LOWER_DIGITS, 70, "rdme"),
        nearMiss: "rdme_" + f(LOWER_DIGITS, 20, "rdme"),
    },
    {
        id: "scalingo-token",
        label: "a Scalingo API token",
        pattern: "tk-us-[A-Za-z0-9_-]{48}",
        source: "gitleaks scalingo-api-token",
        example: "tk-us-" + f(URL_SAFE, 48, "scalingo"),
        nearMiss: "tk-us-" + f(URL_SAFE, 12, "scalingo"),
    },
    {
        id: "settlemint-token",
        label: "a SettleMint access token",
        pattern: "sm_[aps]at_[A-Za-z0-9]{16}",
        source: "gitleaks settlemint-*-access-token",
        example: "sm_pat_" + f(ALNUM, 16, "sm"),
        nearMiss: "sm_pat_" + f(ALNUM, 8, "sm"),
    },
    {
        id: "frameio-token",
        label: "a Frame.io API token",
        pattern: "fio-u-[A-Za-z0-9_=-]{64}",
        source: "gitleaks frameio-api-token",
        example: "fio-u-" + f(URL_SAFE, 64, "fio"),
        nearMiss: "fio-u-" + f(URL_SAFE, 20, "fio"),
    },
    {
        id: "adobe-client-secret",
        label: "an Adobe client secret",
        pattern: "p8e-[A-Za-z0-9]{32}",
        source: "gitleaks adobe-client-secret",
        example: "p8e-" + f(ALNUM, 32, "p8e"),
        nearMiss: "p8e-" + f(ALNUM, 12, "p8e"),
    },
    // The broker the platform trades through
    {
        id: "alpaca-key-id",
        label: "an Alpaca API key id",
        pattern: "(?:AK|PK)[A-Z0-9]{18}",
        source: "Alpaca key ids: AK (live) and PK (paper), 20 characters",
        example: "PK" + f(UPPER_DIGITS, 18, "alpaca"),
        nearMiss: "PK" + f(UPPER_DIGITS, 12, "alpaca"),
    },
    // Generic structures
    {
        id: "private-key",
        label: "a private key block",
        pattern: "-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----",
        source: "PEM (RFC 7468), OpenSSH and PGP private key armour; gitleaks private-key, secretlint privatekey",
        example: "-----BEGIN OPENSSH PRIVATE KEY-----\n" + f(BASE64, 70, "pem") + "\n-----END OPENSSH PRIVATE KEY-----",
        nearMiss: "-----BEGIN CERTIFICATE-----\n" + f(BASE64, 70, "pem") + "\n-----END CERTIFICATE-----",
    },
    {
        id: "jwt",
        label: "a JSON Web Token",
        pattern: "eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}",
        source: "RFC 7519 compact serialization; gitleaks jwt",
        example: "eyJhbGciOiJSUzI1NiJ9." + f(URL_SAFE, 40, "jwt1") + "." + f(URL_SAFE, 43, "jwt2"),
        nearMiss: "eyJhbGciOiJSUzI1NiJ9." + f(URL_SAFE, 40, "jwt1"),
    },
    {
        id: "url-password",
        label: "a URL with an embedded password",
        pattern: "[a-z][a-z0-9+.-]{1,20}://[^/:@\\s\"']{1,256}:[^@\\s\"'/]{1,256}@[^\\s\"'/]+",
        source: "RFC 3986 userinfo; secretlint basicauth and database-connection-string",
        example: "postgres://trader:" + f(ALNUM, 16, "url") + "@db.internal:5432/ticks",
        nearMiss: "postgres://trader@db.internal:5432/ticks",
    },
    {
        id: "authorization-header",
        label: "an HTTP Authorization credential",
        pattern: "(?:Basic|Bearer|Token) [A-Za-z0-9._~+/-]{20,}={0,2}",
        source: "RFC 7617 and RFC 6750 credentials; gitleaks curl-auth-header",
        example: "Bearer " + f(URL_SAFE, 40, "bearer"),
        nearMiss: "Bearer realm=trading",
    },
];

/** A UUID-shaped made-up value. */
function uuid(seed: string): string {
    const hex = f(HEX, 32, seed);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Keys the vendors publish in their documentation, which appear in samples and tests: never credentials.
 * An AWS-shaped key ending in EXAMPLE is one too (AWS documents every sample key so).
 */
export const documentedExampleKeys: readonly string[] = [
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AKIAI44QH8DHBEXAMPLE",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "ASIAIOSFODNN7EXAMPLE",
    // jwt.io's sample token
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
];
