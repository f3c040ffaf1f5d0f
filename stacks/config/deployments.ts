import { z } from "zod";
import { rolloutProblems, SCRAPE_INTERVAL } from "../../components/blueGreenService";
import { ConfigProblem } from "./errors";
import {
    BlueGreenPosition,
    CANARY_WEIGHTS,
    COLOURS,
    EnvironmentName,
    FIX_CUTOVER_WEIGHTS,
    fixCutoverProblem,
    PROTOCOLS,
    tradingVariableNames,
} from "../../platform";
import { eksServiceNames, ImagesConfig } from "./images";
import {
    cpuQuantity,
    duration,
    durationMs,
    envName,
    hostname,
    imageReference,
    isDigestReference,
    memoryQuantity,
    port,
} from "./primitives";

/**
 * A blue-green position (BlueGreenPosition, platform/rollout.ts) as a schema: the deployments config
 * takes its fields, the program exports it as `promotionState`, and the live promotion reads that back.
 */
export const blueGreenPositionSchema = z.object({
    activeColour: z.enum(COLOURS),
    /** The candidate's weight; the rollout rules check it is one of CANARY_WEIGHTS. */
    weight: z.number().int(),
    finalize: z.boolean(),
    protocol: z.enum(PROTOCOLS),
});
// The schema and the type describe the same object: the compiler refuses a field added to one only.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const positionSchemaIsTheType: Same<z.infer<typeof blueGreenPositionSchema>, BlueGreenPosition> = true;
void positionSchemaIsTheType;
const position = blueGreenPositionSchema.shape;

/**
 * `blueGreen.step` held the weight until it was renamed `weight`: a stack file that still sets it gets
 * one problem saying so, rather than an unknown key and a missing weight.
 */
function refuseRenamedStep(value: unknown, ctx: z.RefinementCtx): unknown {
    if (value && typeof value === "object" && Object.hasOwn(value, "step")) {
        ctx.addIssue({
            code: "custom",
            path: ["step"],
            input: (value as { step: unknown }).step,
            message:
                "the key weight in its place: blueGreen.step was renamed blueGreen.weight (the candidate's share of traffic, in percent)",
        });
    }
    return value;
}

/**
 * A smoke test of the service's new version: a Kubernetes Job the update awaits (BlueGreenService), run
 * against the candidate colour before any traffic moves (production) and after each rollout (staging).
 */
const smokeSchema = z.strictObject({
    image: imageReference.describe(
        "The smoke test's runner: under `<server>/<org>/<repositoryPrefix>/`, a digest in production, and one staging runs (it is in `deployedImages`, so the promotion gate asks the same of it as of the services).",
    ),
    args: z
        .array(z.string().min(1))
        .default([])
        .describe(
            "The checks, as the runner's arguments (the committed stacks: `--expect-trading-mode`; the Job passes the stack's trading flags).",
        ),
    timeout: duration
        .default("5m")
        .describe(
            "10s to 30m: the Job's `activeDeadlineSeconds` and how long the update waits for it (the Kubernetes provider's `pulumi.com/timeoutSeconds`).",
        ),
});

const httpPath = z
    .string()
    .regex(/^\/[A-Za-z0-9._~/-]*$/, { error: "an HTTP path such as /healthz" })
    .meta({ title: "HTTP path" });
const resourcePair = z.strictObject({
    cpu: cpuQuantity.describe("CPU."),
    memory: memoryQuantity.describe("Memory."),
});
const acmCertificateArn = z
    .string()
    .regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, { error: "an ACM certificate ARN" })
    .meta({ title: "ACM certificate ARN" });
const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

const serviceSchema = z.strictObject({
    strategy: z
        .enum(["rolling", "blueGreen"])
        .describe(
            "`rolling` replaces pods in place; `blueGreen` runs two colours and shifts traffic in steps. Staging only rolls; blue-green needs an ingress (HTTP) or an nlb (FIX).",
        ),
    port: port.default(8080).describe("Container port."),
    replicas: z.number().int().min(1).max(50).describe("Replicas of a serving colour."),
    minReady: z
        .number()
        .int()
        .min(0)
        .describe(
            "Ready replicas a colour with traffic never drops below (its PodDisruptionBudget); below `replicas`, so a node drain can evict a pod.",
        ),
    resources: z
        .strictObject({
            requests: resourcePair.describe("What the scheduler reserves for each pod's container."),
            limits: resourcePair.describe("The most each pod's container may use."),
        })
        .describe("The container's resources: requests and limits, both required."),
    probes: z
        .strictObject({
            readinessPath: httpPath.default("/readyz").describe("Readiness probe, and the ALB's health check."),
            livenessPath: httpPath.default("/healthz").describe("Liveness probe."),
        })
        .default({ readinessPath: "/readyz", livenessPath: "/healthz" })
        .describe("The kubelet's probes; request paths no client makes."),
    ingress: z
        .strictObject({
            host: hostname.describe("Host the ALB routes to the service."),
            scheme: z.enum(["internet-facing", "internal"]).describe("Whether the ALB faces the internet or the VPC only."),
        })
        .optional()
        .describe(
            "Exposure through the shared ALB (the AWS Load Balancer Controller); without it the service takes no requests (a worker).",
        ),
    protocol: position.protocol
        .default("http")
        .describe(
            "What the service speaks to its clients. `http`: behind the shared ALB (`ingress`). `fix`: a long-lived FIX session over TCP behind an internal NLB (`nlb`); `ingress` is then an error.",
        ),
    nlb: z
        .strictObject({
            port: port.describe("`fix` only: the TCP port of the internal NLB and of the container port `fix`."),
            tls: z
                .strictObject({
                    certificateArn: acmCertificateArn.describe("Certificate of the NLB's TLS listener."),
                    sslPolicy: z.string().default(TLS_POLICY).describe("Listener TLS policy."),
                })
                .optional()
                .describe("TLS terminated at the NLB listener; without it the NLB passes plain TCP to the pod."),
        })
        .optional()
        .describe(
            "Internal Network Load Balancer of a `fix` service: a `LoadBalancer` Service `<name>-nlb` with the AWS Load Balancer Controller's annotations (type `external`, IP targets, scheme `internal`).",
        ),
    env: z
        .record(envName, z.string())
        .default({})
        .describe(
            "Plain settings only; never credentials (they come from Vault: `vaultSecrets`), never the trading-mode variables (`TRADING_MODE`, `DRY_RUN`, `ALPACA_PAPER`, `BROKER_ENDPOINT`: the deployment sets them from `trading`, so a hand-set one is refused).",
        ),
    vaultSecrets: z
        .record(
            z
                .string()
                .regex(/^[a-z0-9][a-z0-9-]*$/, { error: "a file name such as alpaca" })
                .meta({ title: "file name" }),
            z
                .string()
                .regex(/^[a-z0-9][a-z0-9_/-]*$/, { error: "a Vault path such as secret/data/trading/staging/alpaca-paper" })
                .meta({ title: "Vault path" }),
        )
        .default({})
        .describe(
            "Rendered by the Vault agent injector under `/vault/secrets/<file>`, announced as `<FILE>_FILE`; role `<namespace>-<service>`. Each file holds the secret's bare value: the field `value` of the Vault secret at that path (`.Data.data.value` for a KV v2 path `<mount>/data/…`), one agent template per file. The agent logs in with a projected service-account token of its own; no application container mounts a token.",
        ),
    image: imageReference
        .optional()
        .describe(
            "The image of a rolling service this stack does not build (a digest in production). Not allowed on a service the stack builds, nor on a blue-green one.",
        ),
    smoke: smokeSchema
        .optional()
        .describe(
            "A smoke test of the service's new version, a Job the update awaits (see **Smoke tests** below); every blue-green service declares one in production.",
        ),
    blueGreen: z
        .preprocess(
            refuseRenamedStep,
            z.strictObject({
                activeColour: position.activeColour.describe("The colour serving before this release; the other is the candidate."),
                images: z
                    .strictObject({
                        blue: imageReference.optional().describe("The blue colour's image; a digest in production."),
                        green: imageReference.optional().describe("The green colour's image; a digest in production."),
                    })
                    .describe("One image per colour; traffic to a colour without one is an error."),
                weight: position.weight.meta({
                    title: CANARY_WEIGHTS.map(w => `\`${w}\``).join(" | "),
                    description:
                        "The candidate's weight: its share of traffic, in percent (the active colour takes the rest). A `fix` service takes `0` or `100` only (see below). Formerly `blueGreen.step`: that key is now a config error saying to use `weight`.",
                }),
                finalize: position.finalize.default(false).describe("Only at weight 100: scale the old colour to one replica."),
            }),
        )
        .optional()
        .describe("The blue-green position; `npm run promote` sets `weight` and `finalize` itself."),
});
export type DeploymentServiceConfig = z.infer<typeof serviceSchema>;

export const deploymentsSchema = z
    .strictObject({
        ingress: z
            .strictObject({
                certificateArn: acmCertificateArn.describe("Certificate of the HTTPS listener."),
                groupName: z
                    .string()
                    .regex(/^[a-z0-9][a-z0-9.-]{0,62}$/, { error: "an ALB group name such as trading-staging" })
                    .meta({ title: "ALB group", description: "Every service of the stack shares one load balancer, this group." }),
                sslPolicy: z.string().default(TLS_POLICY).describe("Listener TLS policy."),
            })
            .describe("The shared ALB's HTTPS listener."),
        services: z
            .partialRecord(z.enum(eksServiceNames), serviceSchema)
            .describe("The trading services on EKS: the REST API, the websocket feed, the FIX gateway and the queue worker."),
        scrapeInterval: duration
            .default(SCRAPE_INTERVAL)
            .describe(
                "100ms to 5m: how often Prometheus scrapes the services' `/metrics`, each PodMonitor endpoint's `interval`. Every range a promotion query reads spans at least four of these (see `promotion`).",
            ),
    })
    .describe("The trading services on EKS and how traffic reaches them.");
export type DeploymentsConfig = z.infer<typeof deploymentsSchema>;

export function deploymentsRules(
    key: string,
    environment: EnvironmentName,
    deployments: DeploymentsConfig,
    context: { images?: ImagesConfig; registryBase?: string },
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const built = new Set(context.images?.build?.components ?? []);
    const checkImage = (path: string, image: string) => {
        if (context.registryBase && !image.startsWith(`${context.registryBase}/`)) {
            problems.push({ key: path, expected: `an image under ${context.registryBase}/`, found: JSON.stringify(image) });
        }
        if (environment === "production" && !isDigestReference(image)) {
            problems.push({
                key: path,
                expected: "an image pinned by digest (…@sha256:…): production deploys only what staging ran",
                found: JSON.stringify(image),
            });
        }
    };
    if (durationMs(deployments.scrapeInterval) < 100 || durationMs(deployments.scrapeInterval) > 5 * 60_000) {
        problems.push({ key: `${key}.scrapeInterval`, expected: "100ms to 5m", found: JSON.stringify(deployments.scrapeInterval) });
    }
    for (const [name, service] of Object.entries(deployments.services)) {
        if (!service) continue;
        const at = `${key}.services.${name}`;
        if (service.replicas <= service.minReady) {
            problems.push({
                key: `${at}.minReady`,
                expected: `fewer than replicas (${service.replicas}), so a node drain can evict a pod without breaking the budget`,
                found: String(service.minReady),
            });
        }
        // The component sets these from trading-platform:trading and would overwrite a hand-set value
        // silently: refuse it, as the Docker host and GitHub variables do.
        for (const envKey of Object.keys(service.env)) {
            if (tradingVariableNames.includes(envKey)) {
                problems.push({
                    key: `${at}.env.${envKey}`,
                    expected: `no ${envKey}: the deployment sets it from trading-platform:trading`,
                    found: JSON.stringify(service.env[envKey]),
                });
            }
        }
        if (service.smoke) {
            checkImage(`${at}.smoke.image`, service.smoke.image);
            if (durationMs(service.smoke.timeout) < 10_000 || durationMs(service.smoke.timeout) > 30 * 60_000) {
                problems.push({
                    key: `${at}.smoke.timeout`,
                    expected: "10s to 30m: the update waits for the smoke test",
                    found: JSON.stringify(service.smoke.timeout),
                });
            }
        } else if (environment === "production" && service.strategy === "blueGreen") {
            problems.push({
                key: `${at}.smoke`,
                expected: "a smoke test ({image, args, timeout}): production tests each candidate before any traffic moves to it",
                found: "nothing",
            });
        }
        if (service.protocol === "fix") {
            if (service.ingress) {
                problems.push({
                    key: `${at}.ingress`,
                    expected: "no ingress: a FIX session is a long-lived TCP connection and an ALB carries HTTP (expose it with nlb)",
                    found: "an ingress",
                });
            }
            if (!service.nlb) {
                problems.push({
                    key: `${at}.nlb`,
                    expected: "an nlb section (port, optional tls): a FIX service is reached through an internal NLB",
                    found: "nothing",
                });
            }
        } else if (service.nlb) {
            problems.push({
                key: `${at}.nlb`,
                expected: "no nlb on an HTTP service (set protocol: fix for a FIX gateway)",
                found: "an nlb section",
            });
        }
        if (service.strategy === "rolling") {
            if (service.blueGreen) {
                problems.push({
                    key: `${at}.blueGreen`,
                    expected: "no blueGreen section on a rolling service",
                    found: "a blueGreen section",
                });
            }
            if (built.has(name as never)) {
                if (service.image) {
                    problems.push({
                        key: `${at}.image`,
                        expected: `no image: this stack builds ${name} at images.build.sourceSha`,
                        found: JSON.stringify(service.image),
                    });
                }
            } else if (!service.image) {
                problems.push({ key: `${at}.image`, expected: "an image (this stack does not build the service)", found: "nothing" });
            } else {
                checkImage(`${at}.image`, service.image);
            }
            continue;
        }
        if (environment === "staging") {
            problems.push({ key: `${at}.strategy`, expected: '"rolling": staging rolls updates with no downtime', found: '"blueGreen"' });
        }
        if (!service.ingress && !service.nlb) {
            problems.push({
                key: `${at}.ingress`,
                expected: "an ingress: blue-green shifts traffic at the load balancer (a service without one rolls)",
                found: "nothing",
            });
        }
        if (service.image) {
            problems.push({
                key: `${at}.image`,
                expected: "no image: a blue-green service names one per colour under blueGreen.images",
                found: JSON.stringify(service.image),
            });
        }
        if (!service.blueGreen) {
            problems.push({ key: `${at}.blueGreen`, expected: "the blueGreen section (activeColour, images, weight)", found: "nothing" });
            continue;
        }
        for (const colour of COLOURS) {
            const image = service.blueGreen.images[colour];
            if (image) checkImage(`${at}.blueGreen.images.${colour}`, image);
        }
        const cutover = service.protocol === "fix" ? fixCutoverProblem(service.blueGreen.weight) : undefined;
        if (cutover) {
            problems.push({
                key: `${at}.blueGreen.weight`,
                expected: `${FIX_CUTOVER_WEIGHTS.join(" or ")} for a FIX service (a whole cutover)`,
                found: cutover,
            });
        }
        for (const rule of rolloutProblems({ ...service.blueGreen, replicas: service.replicas, minReady: service.minReady })) {
            if (rule.field === "replicas" || rule.field === "minReady") continue; // reported above against minReady
            problems.push({ key: `${at}.blueGreen`, expected: `a possible position for ${name}`, found: rule.problem });
        }
    }
    return problems;
}

/** Where each blue-green service stands: the `promotionState` output, which `npm run promote` resumes from. */
export function blueGreenPositions(deployments: DeploymentsConfig): Record<string, BlueGreenPosition> {
    const positions: Record<string, BlueGreenPosition> = {};
    for (const [name, service] of Object.entries(deployments.services)) {
        if (service?.strategy !== "blueGreen" || !service.blueGreen) continue;
        // The schema keeps the position's fields and drops the rest (the images).
        positions[name] = blueGreenPositionSchema.parse({ ...service.blueGreen, protocol: service.protocol });
    }
    return positions;
}
