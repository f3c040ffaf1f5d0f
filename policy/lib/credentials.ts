// How a credential is recognised without ever seeing whether it was a Pulumi secret: the engine hands
// policies plain values, so rules look at names and shapes (the shapes: credentialFamilies.ts).

import { CredentialFamily, credentialFamilies, documentedExampleKeys } from "./credentialFamilies";

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
    let verdict = nameVerdicts.get(name);
    if (verdict === undefined) {
        const upper = normaliseName(name);
        verdict = credentialNamePattern.test(upper) && !referenceSuffixPattern.test(upper);
        // Names repeat across a stack's resources (LOG_LEVEL, BROKER_ENDPOINT): normalise each once.
        if (nameVerdicts.size < 10_000) nameVerdicts.set(name, verdict);
    }
    return verdict;
}
const nameVerdicts = new Map<string, boolean>();

/**
 * What a published plan shows in place of a value a credential policy flagged. It is itself a
 * credential shape, so a plan checked again (`policy check plan.json`) still fails where it failed.
 */
export const REDACTED_CREDENTIAL = "[redacted credential]";

/**
 * A value that stands for a credential without being one: a reference a template or a shell fills in
 * (`${DB_PASSWORD}`, `$(PGPASSWORD)`, `{{ .Values.password }}`, `%PASS%`, `<password>`), a secret
 * manager's reference (`vault:…`, `op://…`, an ARN), or a mask (`****`, `xxxx`).
 */
export function isReference(value: string): boolean {
    const v = value.trim();
    if (v === "") return true;
    if (referencePattern.test(v)) return true;
    // Several references with punctuation between them (`${USER}:${PASS}`): nothing literal is left.
    const rest = v.replace(embeddedReference, "");
    return rest !== v && /^[\s:/@._,;=+-]*$/.test(rest);
}
const referencePattern = new RegExp(
    [
        "^\\$\\{[^}]{1,200}\\}$", // ${VAR}, ${VAR:-default}
        "^\\$\\([^)]{1,200}\\)$", // $(VAR), Makefile and Kubernetes env expansion
        "^\\$[A-Za-z_][A-Za-z0-9_]*$", // $VAR
        "^\\{\\{[\\s\\S]{1,500}\\}\\}$", // {{ .Values.password }}, {{ secrets.X }}
        "^%[A-Za-z_][A-Za-z0-9_]*%$", // %VAR%
        "^<[^<>]{1,100}>$", // <password>
        "^@[A-Za-z_][A-Za-z0-9_]*@$", // @VAR@
        "^#\\{[^}]{1,200}\\}$", // #{Variable}
        "^(?:vault|ref\\+[a-z0-9]+|op|sm|secretsmanager|gcpsm|azkv):(?://)?\\S+$", // secret managers' references
        "^arn:aws[a-z-]*:(?:secretsmanager|ssm|kms):", // an ARN names a secret, it is not one
        "^[*xX\\u2022.#-]{3,}$", // masks
    ].join("|"),
);
const embeddedReference = /\$\{[^}]{1,200}\}|\$\([^)]{1,200}\)|\{\{[^}]{1,200}\}\}|%[A-Za-z_][A-Za-z0-9_]*%|\$[A-Za-z_][A-Za-z0-9_]*/g;

/** A value a credential-named setting may not hold: anything but a reference, a mask or a documented example. */
export function isLiteral(value: string): boolean {
    return value !== "" && !isReference(value) && !isDocumentedExample(value.trim());
}

/** A vendor's documented sample key, or one marked as such (AWS ends every sample key in EXAMPLE). */
export function isDocumentedExample(token: string): boolean {
    return documentedExampleKeys.includes(token) || /EXAMPLE(KEY)?$/.test(token);
}

/** Passwords documentation writes in a URL for the reader to replace. */
const placeholderPasswords =
    /^(?:password|passwd|pass|pwd|secret|mypassword|your[_-]?password|replace[_-]?(?:me|with[_-]?password)|changeit|example|dummy|sample|test|placeholder)$/i;

/**
 * Whether a token a credential shape matched is a stand-in rather than a credential: a documented
 * example, a reference, a filler (`sk_live_xxxxxxxxxxxxxxxxxxxxxxxx`: too few distinct characters
 * for a random token), or, in a URL, a placeholder password or the user name repeated.
 */
function isStandIn(family: CredentialFamily, token: string, after: string): boolean {
    if (isDocumentedExample(token) || isReference(token)) return true;
    if (family.id === "url-password") {
        const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^:@]*):([^@]*)@/i.exec(token);
        if (!userinfo) return false;
        const [, user, password] = userinfo;
        return (
            password.length < 4 ||
            isReference(password) ||
            /[${}%<>]/.test(password) ||
            placeholderPasswords.test(password) ||
            password === user ||
            /^(.)\1+$/.test(password)
        );
    }
    if (family.id === "private-key") {
        // A block whose body is a filler (`xxx`, `...`) documents the format; a cut-off block is still a key.
        const end = after.indexOf("-----END");
        if (end < 0) return false;
        const body = after.slice(0, end).replace(/\s+/g, "");
        return body.length < 16 || /^[.*xX]+$/.test(body);
    }
    // The last 16 characters of a random token hold many distinct ones; a filler's, a handful.
    return token.length >= 20 && new Set(token.slice(-16)).size < 5;
}

interface CompiledFamily {
    family: CredentialFamily;
    group: string;
}
const compiled: CompiledFamily[] = credentialFamilies.map((family, i) => ({ family, group: `f${i}` }));
// One expression for every family: a value is scanned once, whatever the number of families. A family
// matches only where no letter or digit runs on either side, so a match is a whole token.
// The left boundary is checked once for all the families that take it, so a position inside a word
// costs one test, not one per family. (A format that starts inside a larger token, a URL's `&sig=` or
// a host's `.webhook.`, takes no left boundary.)
const startsInside = (family: CredentialFamily) => /^(\\\.|\[\?&\])/.test(family.pattern);
const alternative = ({ family, group }: CompiledFamily) => `(?<${group}>${family.pattern}(?![A-Za-z0-9]))`;
const anyFamily = new RegExp(
    `(?<![A-Za-z0-9])(?:${compiled
        .filter(c => !startsInside(c.family))
        .map(alternative)
        .join("|")})|${compiled
        .filter(c => startsInside(c.family))
        .map(alternative)
        .join("|")}`,
    "g",
);
const redactedMarker = REDACTED_CREDENTIAL;

/** The first credential family a value holds, with the token it matched; none for a stand-in. */
export function credentialFamilyOf(value: string): CredentialFamily | undefined {
    // Short values without an @ hold no family's token (the shortest is 20 characters): most settings end here.
    if (value.length < 20 && !value.includes("@")) return undefined;
    anyFamily.lastIndex = 0;
    for (let match = anyFamily.exec(value); match; match = anyFamily.exec(value)) {
        const hit = compiled.find(c => match!.groups![c.group] !== undefined);
        if (hit && !isStandIn(hit.family, match[0], value.slice(match.index + match[0].length))) return hit.family;
        if (match[0].length === 0) anyFamily.lastIndex++;
    }
    return undefined;
}

/** The label of the first credential shape the value has, if any. Never returns the value itself. */
export function credentialShapeOf(value: string): string | undefined {
    if (value.includes(redactedMarker)) return "a credential an earlier plan redacted";
    const family = credentialFamilyOf(value);
    // Only a value of base64's length and alphabet can hide a token (16 bytes encode to 24 characters).
    if (family || value.length < 24 || value.length % 4 !== 0 || !base64Pattern.test(value)) return family?.label;
    // Base64 is an encoding, not encryption: a key survives it intact.
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const inner = credentialFamilyOf(decoded);
    return inner ? `${inner.label} (base64-encoded)` : undefined;
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
    if (hosts.has(value)) return hosts.get(value);
    const host = parseHost(value);
    // Settings repeat across a stack's resources (BROKER_ENDPOINT, LOG_LEVEL): each is parsed once.
    if (hosts.size >= 10_000) hosts.clear();
    hosts.set(value, host);
    return host;
}
const hosts = new Map<string, string | undefined>();

function parseHost(value: string): string | undefined {
    // canParse first: a throwing `new URL` per plain setting costs a stack trace each time.
    // A bare host (`api.alpaca.markets`, `api.alpaca.markets:443/v2`) reaches a client just as well as a URL.
    const candidate =
        URL.canParse(value) && /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : bareHost.test(value) ? `https://${value}` : undefined;
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
