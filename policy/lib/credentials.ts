// How a credential is recognised without ever seeing whether it was a Pulumi secret: the engine hands
// policies plain values, so rules look at names and shapes.

/** Names that say "this holds a credential". */
const credentialNamePattern =
    /(^|_)(API_?KEY|KEY|SECRET|SECRETS|TOKEN|PASSWORD|PASSWD|PWD|PASS|CREDENTIALS?|PRIVATE_KEY|ACCESS_KEY|AUTH|DSN|CONNECTION_STRING|CLIENT_SECRET)(_|$)/;

/** Suffixes that make a credential-sounding name a pointer to one: a file, a path, an endpoint. */
const referenceSuffixPattern = /_(FILE|PATH|DIR|URL|ENDPOINT|HOST|NAME|ROLE|ARN|REF|ID_FILE)$/;

/** `awsSecretAccessKey`, `aws-secret-access-key`, `--api.key` → `AWS_SECRET_ACCESS_KEY`, `API_KEY`: one spelling to match. */
export function normaliseName(name: string): string {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/[^A-Za-z0-9]+/g, "_")
        .replace(/^_+|_+$/g, "")
        .toUpperCase();
}

export function isCredentialName(name: string): boolean {
    const upper = normaliseName(name);
    return credentialNamePattern.test(upper) && !referenceSuffixPattern.test(upper);
}

export interface CredentialShape {
    label: string;
    pattern: RegExp;
}

/**
 * What a published plan shows in place of a value a credential policy flagged. It is itself a
 * credential shape, so a plan checked again (`policy check plan.json`) still fails where it failed.
 */
export const REDACTED_CREDENTIAL = "[redacted credential]";

/** Value shapes that are credentials whatever the variable is called. */
export const credentialShapes: CredentialShape[] = [
    { label: "a credential an earlier plan redacted", pattern: /\[redacted credential\]/ },
    { label: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { label: "a GitHub token", pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
    { label: "a private key block", pattern: /-----BEGIN ([A-Z]+ )*PRIVATE KEY-----/ },
    { label: "a Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
    { label: "an Alpaca API key id", pattern: /\b(AK|PK)[A-Z0-9]{18}\b/ },
    { label: "a JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
    { label: "a URL with an embedded password", pattern: /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:[^@\s/]+@/i },
];

/** The label of the first credential shape the value has, if any. Never returns the value itself. */
export function credentialShapeOf(value: string): string | undefined {
    const label = credentialShapes.find(shape => shape.pattern.test(value))?.label;
    if (label || !base64Pattern.test(value)) return label;
    // Base64 is an encoding, not encryption: a key survives it intact.
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const inner = credentialShapes.find(shape => shape.pattern.test(decoded))?.label;
    return inner ? `${inner} (base64-encoded)` : undefined;
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Splits Docker's `NAME=value` env entries. */
export function parseDockerEnv(entry: string): { name: string; value: string } {
    const eq = entry.indexOf("=");
    return eq < 0 ? { name: entry, value: "" } : { name: entry.slice(0, eq), value: entry.slice(eq + 1) };
}

/** Credential names that mark an environment's kind of account, e.g. ALPACA_LIVE_KEY_FILE. */
export function mentionsLive(name: string): boolean {
    return /(^|[_.\-/])LIVE([_.\-/]|$)/i.test(name);
}
export function mentionsPaper(name: string): boolean {
    return /(^|[_.\-/])(PAPER|SANDBOX)([_.\-/]|$)/i.test(name);
}

/** Host of a URL-looking value, lower-cased; undefined when the value is not a URL. */
export function hostOf(value: string): string | undefined {
    // canParse first: a throwing `new URL` per plain setting costs a stack trace each time.
    // A bare host (`api.alpaca.markets`, `api.alpaca.markets:443/v2`) reaches a client just as well as a URL.
    const candidate = URL.canParse(value) && /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : bareHost.test(value) ? `https://${value}` : undefined;
    if (!candidate || !URL.canParse(candidate)) return undefined;
    const hostname = new URL(candidate).hostname;
    return hostname ? hostname.toLowerCase() : undefined;
}

/** A DNS name with at least one dot, an optional port and path: what a client reads as a host. */
const bareHost = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\.?(:\d{1,5})?(\/\S*)?$/i;

/** True when `host` is `domain` or one of its sub-domains (so paper-api.x never matches api.x). */
export function hostMatches(host: string, domain: string): boolean {
    const d = domain.toLowerCase();
    return host === d || host.endsWith(`.${d}`);
}
