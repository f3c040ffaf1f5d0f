import * as ipaddr from "ipaddr.js";
import { z } from "zod";

// Shared value shapes. Each message states the expectation, because errors print it after "expected";
// each title names the shape in docs/config.md's Type column.

export const dnsLabel = z
    .string()
    .regex(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, { error: "a lowercase DNS label (letters, digits, '-'), e.g. trading-staging" })
    .meta({ title: "DNS label" });

export const sshUrl = z
    .string()
    .regex(/^ssh:\/\/[a-z_][a-z0-9_.-]*@[a-zA-Z0-9.-]+(:\d{1,5})?$/, { error: "an SSH URL like ssh://user@host or ssh://user@host:2222" })
    .meta({ title: "`ssh://user@host[:port]`" });

/** Docker-style sizes: a whole number and a unit. A bare number is rejected on purpose: bytes or MiB? */
export const sizeWithUnit = z
    .string({ error: 'a size with a unit (k, m or g), e.g. "512m"' })
    .regex(/^[1-9][0-9]*[kmg]$/i, { error: 'a size with a unit (k, m or g), e.g. "512m"' })
    .meta({ title: "size with a unit (`512m`, `2g`)" });

export const duration = z
    .string({ error: 'a duration such as "30s" or "2m"' })
    .regex(/^[1-9][0-9]*(ms|s|m|h)$/, { error: 'a duration such as "30s" or "2m"' })
    .meta({ title: "duration (`250ms`, `30s`, `5m`, `1h`)" });

const durationUnitsMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** "5m" → 300000: a duration in Prometheus' units (one unit), as a schema's `duration` accepts it. */
export function durationMs(text: string): number {
    const match = /^([1-9][0-9]*)(ms|s|m|h)$/.exec(text);
    if (!match) throw new Error(`not a duration: ${JSON.stringify(text)}`);
    return Number(match[1]) * durationUnitsMs[match[2] as keyof typeof durationUnitsMs];
}

export const absolutePath = z
    .string()
    .regex(/^\/[A-Za-z0-9._/-]*$/, { error: "an absolute path such as /srv/vault/synaptic-staging" })
    .meta({ title: "absolute path" });

export const httpsUrl = z.url({ protocol: /^https$/, error: "an https:// URL" }).meta({ title: "https URL" });
export const httpUrl = z.url({ protocol: /^https?$/, error: "an http:// or https:// URL" }).meta({ title: "http(s) URL" });

/** `10.40.0.0/16`: four decimal octets 0-255 and a prefix 0-32, read by ipaddr.js rather than a pattern. */
export function isIpv4Cidr(text: string): boolean {
    const [address, prefix, ...rest] = text.split("/");
    if (rest.length > 0 || prefix === undefined || !/^\d{1,2}$/.test(prefix) || !ipaddr.IPv4.isValidFourPartDecimal(address)) return false;
    return Number(prefix) <= 32;
}

/** True when the block's address is its network address: no host bits set (10.40.0.0/16, not 10.40.1.0/16). */
export function isNetworkAddress(text: string): boolean {
    return ipaddr.IPv4.networkAddressFromCIDR(text).toString() === text.split("/")[0];
}

export const cidr = z
    .string()
    .refine(isIpv4Cidr, { error: "an IPv4 CIDR block such as 10.40.0.0/16 (four numbers 0-255, then a prefix 0-32)", abort: true })
    // Subnets are carved from the block's start: a block with host bits set would silently plan another range.
    .refine(isNetworkAddress, { error: "a CIDR block whose address is its network address (no host bits set), e.g. 10.40.0.0/16" })
    .meta({ title: "IPv4 CIDR" });

export const port = z.number().int().min(1).max(65535).meta({ title: "port" });

/** `ghcr.io/<org>/<path>@sha256:<64 hex>`: an image pinned by digest. */
export const digestReference = z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+@sha256:[a-f0-9]{64}$/, {
        error: "an image pinned by digest, e.g. ghcr.io/<org>/<name>@sha256:<64 hex digits>",
    })
    .meta({ title: "`<registry>/<path>@sha256:<64 hex>`" });

export const envName = z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/, { error: "an environment variable name in UPPER_SNAKE_CASE" })
    .meta({ title: "`UPPER_SNAKE` name" });

export const semverTag = z
    .string()
    .regex(/^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/, { error: "a release tag v<semver>, e.g. v1.4.0" })
    .meta({ title: "`v<semver>`" });

export const gitSha = z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, { error: "a git commit SHA (7 to 40 lowercase hex digits)" })
    .meta({ title: "git SHA (7–40 hex digits)" });

/** Parses "512m" into MiB, the unit the Docker provider's `memory` takes. */
export function sizeToMiB(size: string): number {
    const amount = Number(size.slice(0, -1));
    switch (size.slice(-1).toLowerCase()) {
        case "k":
            return Math.max(1, Math.ceil(amount / 1024));
        case "m":
            return amount;
        case "g":
            return amount * 1024;
        default:
            throw new Error(`not a size with a unit: ${size}`);
    }
}

/** Kubernetes CPU quantity: cores ("1", "0.5") or millicores ("250m"). */
export const cpuQuantity = z
    .string({ error: 'a CPU quantity as a string, e.g. "250m" or "1"' })
    .regex(/^([1-9][0-9]*m|[0-9]+(\.[0-9]+)?)$/, { error: 'a CPU quantity as a string, e.g. "250m" or "1"' })
    .meta({ title: "CPU quantity (`250m`, `1`)" });

/** Kubernetes memory quantity with a binary unit. */
export const memoryQuantity = z
    .string({ error: 'a memory quantity with a unit, e.g. "512Mi" or "2Gi"' })
    .regex(/^[1-9][0-9]*(Ki|Mi|Gi)$/, { error: 'a memory quantity with a unit, e.g. "512Mi" or "2Gi"' })
    .meta({ title: "memory quantity (`512Mi`, `2Gi`)" });

export const hostname = z
    .string()
    .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, { error: "a DNS host name such as api.staging.trading-engine.com" })
    .meta({ title: "DNS name" });

/** An image by tag or by digest under some registry; where it may come from is a rule of its own. */
export const imageReference = z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?$/, {
        error: "an image reference such as ghcr.io/<org>/<name>@sha256:<digest>",
    })
    .meta({ title: "image reference (by tag or digest)" });

export function isDigestReference(image: string): boolean {
    return /@sha256:[a-f0-9]{64}$/.test(image);
}
