// How a credential is recognised without ever seeing whether it was a Pulumi secret: the engine hands
// policies plain values, so rules look at names and shapes.

/** Names that say "this holds a credential". */
const credentialNamePattern =
    /(^|_)(API_?KEY|KEY|SECRET|SECRETS|TOKEN|PASSWORD|PASSWD|PWD|PASS|CREDENTIALS?|PRIVATE_KEY|ACCESS_KEY|AUTH|DSN|CONNECTION_STRING|CLIENT_SECRET)(_|$)/;

/** Suffixes that make a credential-sounding name a pointer to one: a file, a path, an endpoint. */
const referenceSuffixPattern = /_(FILE|PATH|DIR|URL|ENDPOINT|HOST|NAME|ROLE|ARN|REF|ID_FILE)$/;

export function isCredentialName(name: string): boolean {
    const upper = name.toUpperCase();
    return credentialNamePattern.test(upper) && !referenceSuffixPattern.test(upper);
}

export interface CredentialShape {
    label: string;
    pattern: RegExp;
}

/** Value shapes that are credentials whatever the variable is called. */
export const credentialShapes: CredentialShape[] = [
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
    return credentialShapes.find(shape => shape.pattern.test(value))?.label;
}

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
    if (!URL.canParse(value)) return undefined;
    const hostname = new URL(value).hostname;
    return hostname ? hostname.toLowerCase() : undefined;
}

/** True when `host` is `domain` or one of its sub-domains (so paper-api.x never matches api.x). */
export function hostMatches(host: string, domain: string): boolean {
    const d = domain.toLowerCase();
    return host === d || host.endsWith(`.${d}`);
}
