import { z } from "zod";
import { rolloutProblems, SCRAPE_INTERVAL } from "../../components/blueGreenService";
import { ConfigProblem } from "./errors";
import {
    BlueGreenPosition,
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
    /** The test runner's image; digests in production, and one staging runs (the promotion gate checks both). */
    image: imageReference,
    /** The checks, as the runner's arguments (e.g. ["--expect-trading-mode"]: the Job passes the stack's trading flags). */
    args: z.array(z.string().min(1)).default([]),
    /** How long the Job may run before it counts as failed (its activeDeadlineSeconds and the update's wait). */
    timeout: duration.default("5m"),
});

const httpPath = z.string().regex(/^\/[A-Za-z0-9._~/-]*$/, { error: "an HTTP path such as /healthz" });
const resourcePair = z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity });

const serviceSchema = z.strictObject({
    /** `rolling` replaces pods in place; `blueGreen` runs two colours and shifts traffic in steps. */
    strategy: z.enum(["rolling", "blueGreen"]),
    port: port.default(8080),
    /** Replicas of a serving colour. */
    replicas: z.number().int().min(1).max(50),
    /** Ready replicas a serving colour never drops below: its PodDisruptionBudget. */
    minReady: z.number().int().min(0),
    resources: z.strictObject({ requests: resourcePair, limits: resourcePair }),
    probes: z
        .strictObject({ readinessPath: httpPath.default("/readyz"), livenessPath: httpPath.default("/healthz") })
        .default({ readinessPath: "/readyz", livenessPath: "/healthz" }),
    /** Exposure through the AWS Load Balancer Controller; a service without it takes no requests (a worker). */
    ingress: z.strictObject({ host: hostname, scheme: z.enum(["internet-facing", "internal"]) }).optional(),
    /** What the service speaks to its clients: `http` behind the ALB (ingress), `fix` over TCP behind an NLB (nlb). */
    protocol: position.protocol.default("http"),
    /** Internal Network Load Balancer for a `fix` service: its TCP port and, optionally, TLS at the NLB. */
    nlb: z
        .strictObject({
            port,
            tls: z
                .strictObject({
                    certificateArn: z
                        .string()
                        .regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, { error: "an ACM certificate ARN" }),
                    sslPolicy: z.string().default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
                })
                .optional(),
        })
        .optional(),
    /** Plain settings; credentials come from Vault (`vaultSecrets`). */
    env: z.record(envName, z.string()).default({}),
    /** File name under /vault/secrets to the Vault path the agent renders into it. */
    vaultSecrets: z
        .record(
            z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: "a file name such as alpaca" }),
            z.string().regex(/^[a-z0-9][a-z0-9_/-]*$/, { error: "a Vault path such as secret/data/trading/staging/alpaca-paper" }),
        )
        .default({}),
    /** Rolling services that are not built by this stack name their image (a digest in production). */
    image: imageReference.optional(),
    smoke: smokeSchema.optional(),
    blueGreen: z
        .preprocess(
            refuseRenamedStep,
            z.strictObject({
                activeColour: position.activeColour,
                images: z.strictObject({ blue: imageReference.optional(), green: imageReference.optional() }),
                weight: position.weight,
                finalize: position.finalize.default(false),
            }),
        )
        .optional(),
});
export type DeploymentServiceConfig = z.infer<typeof serviceSchema>;

export const deploymentsSchema = z.strictObject({
    ingress: z.strictObject({
        /** ACM certificate for the HTTPS listener. */
        certificateArn: z.string().regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, { error: "an ACM certificate ARN" }),
        /** ALB group: every service of the stack shares one load balancer. */
        groupName: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,62}$/, { error: "an ALB group name such as trading-staging" }),
        sslPolicy: z.string().default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    }),
    services: z.partialRecord(z.enum(eksServiceNames), serviceSchema),
    /** How often Prometheus scrapes the services' /metrics (each PodMonitor's interval); the promotion's ranges span at least four. */
    scrapeInterval: duration.default(SCRAPE_INTERVAL),
});
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
