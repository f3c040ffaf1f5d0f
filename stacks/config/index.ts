import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { addonsRules, addonsSchema } from "./addons";
import { ciRules, ciSchema } from "./ci";
import { dataRules, dataSchema } from "./data";
import { deploymentsRules, deploymentsSchema } from "./deployments";
import { dockerHostRules, dockerHostSchema } from "./dockerHost";
import { eksRules, eksSchema } from "./eks";
import { githubRules, githubSchema } from "./github";
import { environmentNames, EnvironmentName, isEnvironmentName } from "../../platform";
import { ConfigProblem, describeFound, plainCredentialProblems, problemsFromZod, StackConfigError } from "./errors";
import { imagesRules, imagesSchema } from "./images";
import { promotionRules, promotionSchema } from "./promotion";
import { SCRAPE_INTERVAL } from "../../components/blueGreenService";
import { registrySchema, repositoryBase } from "./registry";
import { releaseEvidenceRules, releaseEvidenceSchema } from "./releaseEvidence";
import { tradingRules, tradingSchema } from "./trading";

export { StackConfigError } from "./errors";
export type { EnvironmentName } from "../../platform";

/** Every structured section of a stack's config, one schema each (docs/config.md lists them all). */
export const sectionSchemas = {
    trading: tradingSchema,
    registry: registrySchema,
    dockerHost: dockerHostSchema,
    images: imagesSchema,
    eks: eksSchema,
    deployments: deploymentsSchema,
    github: githubSchema,
    ci: ciSchema,
    releaseEvidence: releaseEvidenceSchema.optional(),
    data: dataSchema,
    addons: addonsSchema,
    promotion: promotionSchema.optional(),
};
type Sections = { [K in keyof typeof sectionSchemas]: z.infer<(typeof sectionSchemas)[K]> };

/**
 * Config keys that hold credentials. They must be set with `pulumi config set --secret`; a key is
 * required when its condition holds for the stack's validated sections (`required` says it in words,
 * for docs/config.md).
 */
export const secretKeys = {
    ghcrToken: {
        purpose: "GHCR token (read:packages) the Docker host and the cluster pull images with",
        required: "always",
        requiredWhen: () => true,
    },
    ghcrPushToken: {
        purpose: "GHCR token (write:packages) the image builds push with",
        required: "when `images.build` is set (staging)",
        requiredWhen: (sections: Partial<Sections>) => Boolean(sections.images?.build),
    },
    redisAuthToken: {
        purpose:
            "AUTH token of the stack's ElastiCache Redis (16 to 128 printable characters); reaches the replication group as a secret and pods through Vault",
        required: "always",
        requiredWhen: () => true,
    },
    grafanaDashboardToken: {
        purpose:
            "Grafana service account token (Editor of the dashboard's folder) the stack declares the rollout dashboard with; production, with promotion.dashboard",
        required: "when `promotion.dashboard` is set (production)",
        requiredWhen: (sections: Partial<Sections>) => Boolean(sections.promotion?.dashboard),
    },
} as const;
export type SecretKey = keyof typeof secretKeys;

export interface ValidatedConfig extends Sections {
    project: string;
    stack: EnvironmentName;
}

export interface StackConfig extends ValidatedConfig {
    /** Credentials, only ever as Pulumi secrets; absent when the stack does not need them. */
    secrets: {
        ghcrToken: pulumi.Output<string>;
        ghcrPushToken?: pulumi.Output<string>;
        redisAuthToken: pulumi.Output<string>;
        /** The Grafana provider's token, with promotion.dashboard. */
        grafanaDashboardToken?: pulumi.Output<string>;
        /** GitHub environment secrets by secret name, read from the config keys `github.environment.secrets` names. */
        githubEnvironment: Record<string, pulumi.Output<string>>;
    };
}

export interface RawStackConfig {
    project: string;
    stack: string;
    /** Every config value of the stack by full key (`project:key`), as the CLI passes them: strings, objects as JSON. */
    values: Record<string, string>;
    /** Full keys whose values are secrets. */
    secretKeys: ReadonlySet<string>;
    /** The time rules that depend on it are judged at (the restore drill's point in time); the clock when absent. */
    now?: Date;
}

/**
 * Validates a stack's raw config. Pure but for the clock (`raw.now` pins it): it reads no runtime
 * state, so tests call it directly.
 * Collects every problem before throwing, so one run shows them all.
 */
export function validateStackConfig(raw: RawStackConfig): ValidatedConfig {
    const problems: ConfigProblem[] = [];
    const fullKey = (key: string) => `${raw.project}:${key}`;
    if (!isEnvironmentName(raw.stack)) {
        throw new StackConfigError(raw.stack, [
            { key: "(stack name)", expected: `one of ${environmentNames.join(", ")}`, found: JSON.stringify(raw.stack) },
        ]);
    }
    const stack = raw.stack;

    const parsed: Partial<Sections> = {};
    for (const [section, schema] of Object.entries(sectionSchemas) as [keyof Sections, z.ZodType][]) {
        const key = fullKey(section);
        const text = raw.values[key];
        if (raw.secretKeys.has(key)) {
            problems.push({ key, expected: "a plain (non-secret) structured value", found: "a secret" });
            continue;
        }
        const value = text === undefined ? undefined : parseJson(text);
        problems.push(...plainCredentialProblems(key, value));
        const result = schema.safeParse(value, { reportInput: true });
        if (result.success) {
            (parsed as Record<string, unknown>)[section] = result.data;
        } else if (value === undefined) {
            problems.push({ key, expected: `the ${section} section (see docs/config.md)`, found: describeFound(undefined) });
        } else {
            problems.push(...problemsFromZod(key, schema, result.error));
        }
    }

    const requireSecretKey = (name: string, purpose?: string) => {
        const key = fullKey(name);
        const expected = `a secret (pulumi config set --secret ${name} ...)${purpose ? ` for ${purpose}` : ""}`;
        if (raw.values[key] === undefined) {
            problems.push({ key, expected, found: "nothing (the key is not set)" });
        } else if (!raw.secretKeys.has(key)) {
            // Never echo the value: it is a credential written in plain text.
            problems.push({ key, expected, found: "a plaintext value" });
        }
    };
    for (const [name, secret] of Object.entries(secretKeys)) {
        if (raw.values[fullKey(name)] === undefined && !secret.requiredWhen(parsed)) continue;
        requireSecretKey(name);
    }
    for (const [secretName, configKey] of Object.entries(parsed.github?.environment.secrets ?? {})) {
        requireSecretKey(configKey, `the GitHub environment secret ${secretName}`);
    }

    // Every key of this project's namespace is read by something; anything else is a typo (`tradng`)
    // that would otherwise leave a setting at its default. Other namespaces (aws:, kubernetes:) belong to providers.
    const knownKeys = new Set<string>([
        ...Object.keys(sectionSchemas),
        ...Object.keys(secretKeys),
        ...Object.values(parsed.github?.environment.secrets ?? {}),
    ]);
    const namespace = `${raw.project}:`;
    for (const key of Object.keys(raw.values).sort()) {
        if (!key.startsWith(namespace) || knownKeys.has(key.slice(namespace.length))) continue;
        // A value is never echoed: an unknown key may well hold a credential.
        problems.push({
            key,
            expected: `one of the known keys (${[...Object.keys(sectionSchemas), ...Object.keys(secretKeys)].join(", ")}, or a key github.environment.secrets names; see docs/config.md)`,
            found: "an unknown key",
        });
    }

    if (parsed.trading) problems.push(...tradingRules(fullKey("trading"), stack, parsed.trading));
    if (parsed.dockerHost) problems.push(...dockerHostRules(fullKey("dockerHost"), stack, parsed.dockerHost));
    if (parsed.images) problems.push(...imagesRules(fullKey("images"), stack, parsed.images));
    if (parsed.eks) problems.push(...eksRules(fullKey("eks"), stack, parsed.eks));
    if (parsed.github) {
        problems.push(...githubRules(fullKey("github"), stack, parsed.github, { buildsImages: Boolean(parsed.images?.build) }));
    }
    if (!problems.some(p => p.key.startsWith(fullKey("releaseEvidence")))) {
        problems.push(...releaseEvidenceRules(fullKey("releaseEvidence"), stack, parsed.releaseEvidence));
    }
    if (parsed.ci) {
        // Checked against the evidence store only once the store itself is valid: no follow-on problems.
        const valid = (section: string) => !problems.some(p => p.key.startsWith(fullKey(section)));
        const evidenceValid = valid("releaseEvidence");
        const sections = {
            eks: parsed.eks,
            releaseEvidence: evidenceValid ? parsed.releaseEvidence : undefined,
            dockerHost: valid("dockerHost") ? parsed.dockerHost : undefined,
            eksKey: fullKey("eks"),
            releaseEvidenceKey: fullKey("releaseEvidence"),
            dockerHostKey: fullKey("dockerHost"),
        };
        problems.push(...ciRules(fullKey("ci"), raw.project, stack, parsed.ci, sections));
    }
    if (parsed.data) problems.push(...dataRules(fullKey("data"), stack, parsed.data, raw.now ?? new Date()));
    if (parsed.addons) problems.push(...addonsRules(fullKey("addons"), stack, parsed.addons));
    problems.push(
        ...promotionRules(fullKey("promotion"), stack, parsed.promotion, {
            scrapeInterval: parsed.deployments?.scrapeInterval ?? SCRAPE_INTERVAL,
        }),
    );
    // Which services this stack builds comes from images: with that section invalid, the deployment
    // rules would blame every service for a missing image, errors that the images fix makes vanish.
    const imagesKnown = parsed.images !== undefined || raw.values[fullKey("images")] === undefined;
    if (parsed.deployments && imagesKnown) {
        const registryBase = parsed.registry ? repositoryBase(parsed.registry) : undefined;
        problems.push(...deploymentsRules(fullKey("deployments"), stack, parsed.deployments, { images: parsed.images, registryBase }));
    }

    if (problems.length > 0) {
        throw new StackConfigError(stack, problems);
    }
    return { project: raw.project, stack, ...(parsed as Sections) };
}

/** Reads and validates the running stack's config; the only place the program touches `pulumi.Config`. */
export function loadStackConfig(): StackConfig {
    const raw: RawStackConfig = {
        project: pulumi.getProject(),
        stack: pulumi.getStack(),
        values: pulumi.runtime.allConfig(),
        secretKeys: new Set(Object.keys(pulumi.runtime.allConfig()).filter(isConfigSecret)),
    };
    const validated = validateStackConfig(raw);
    const config = new pulumi.Config();
    return {
        ...validated,
        secrets: {
            ghcrToken: config.requireSecret("ghcrToken"),
            ghcrPushToken: validated.images.build ? config.requireSecret("ghcrPushToken") : undefined,
            redisAuthToken: config.requireSecret("redisAuthToken"),
            grafanaDashboardToken: validated.promotion?.dashboard ? config.requireSecret("grafanaDashboardToken") : undefined,
            githubEnvironment: Object.fromEntries(
                Object.entries(validated.github.environment.secrets).map(([secretName, configKey]) => [
                    secretName,
                    config.requireSecret(configKey),
                ]),
            ),
        },
    };
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/**
 * Whether the CLI marked a key secret. The SDK keeps this check internal (`Config.get` uses it to warn
 * on secrets read as plain values); we need it to refuse credentials stored in plain text.
 */
function isConfigSecret(key: string): boolean {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (k: string) => boolean };
    if (typeof runtimeConfig.isConfigSecret !== "function") {
        throw new Error("@pulumi/pulumi no longer exposes isConfigSecret; update stacks/config/index.ts");
    }
    return runtimeConfig.isConfigSecret(key);
}
