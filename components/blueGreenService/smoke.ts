// The smoke test of a service's new version: a Kubernetes Job that the update awaits (the Kubernetes
// provider waits for a Job's Complete condition and fails the update on its Failed one), hardened like
// the service's pods. Its name carries a hash of what it tests, so a new version's test is a new Job
// (a Job's pod template is immutable) and an unchanged one is left alone.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { Colour, colourObjectName, otherColour } from "../../platform/rollout";
import { containerSecurityContext, podSecurityContext } from "./podSecurity";

/** What the stack's config says of a service's smoke test, with the environment the Job passes it. */
export interface SmokeTest {
    /** The test runner's image. */
    image: string;
    /** The checks, as the runner's arguments. */
    args: string[];
    /** A duration (`5m`): the Job's deadline and how long the update waits for it. */
    timeout: string;
    /** Plain settings the checks compare against (the stack's trading flags: "verify paper trading mode active"). */
    env: Record<string, string>;
}

/** Where the Job finds the version it tests, and which one it is. */
export const SMOKE_ENV = {
    targetUrl: "SMOKE_TARGET_URL",
    service: "SMOKE_SERVICE",
    colour: "SMOKE_COLOUR",
    image: "SMOKE_TESTED_IMAGE",
} as const;

/** The Kubernetes provider's per-resource wait (it reads this annotation before its 10-minute Job default). */
export const PROVIDER_TIMEOUT_ANNOTATION = "pulumi.com/timeoutSeconds";

const UNITS_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
const seconds = (duration: string) => {
    const match = /^([1-9][0-9]*)(ms|s|m|h)$/.exec(duration);
    if (!match) throw new Error(`smoke timeout: expected a duration such as 5m, found ${JSON.stringify(duration)}`);
    return Math.ceil(Number(match[1]) * UNITS_S[match[2]]);
};

/** The Job's name: `<service>[-<colour>]-smoke-<10 hex>` of everything the test depends on. */
export function smokeJobName(service: string, colour: string | undefined, testedImage: string, smoke: SmokeTest): string {
    const hash = createHash("sha256")
        .update(JSON.stringify([testedImage, smoke.image, smoke.args, Object.entries(smoke.env).sort()]))
        .digest("hex")
        .slice(0, 10);
    return `${colour ? colourObjectName(service, colour) : service}-smoke-${hash}`;
}

export interface SmokeJobInputs {
    service: string;
    namespace: pulumi.Input<string>;
    environment: string;
    /** The colour under test; undefined for a rolling service. */
    colour?: string;
    testedImage: pulumi.Input<string>;
    /** The tested version's own Service, inside the namespace. */
    targetUrl: string;
    imagePullSecret?: pulumi.Input<string>;
    smoke: SmokeTest;
}

/**
 * Whether a service has a version for its smoke test to test: a rolling service always (what it rolls
 * to), a blue-green one when its candidate colour has an image.
 */
export function hasVersionToTest(
    rollout: { strategy: "rolling" } | { strategy: "blueGreen"; state: { activeColour: Colour; images: Partial<Record<Colour, unknown>> } },
): boolean {
    return rollout.strategy === "rolling" || rollout.state.images[otherColour(rollout.state.activeColour)] !== undefined;
}

/** The labels that select a service's smoke-test pods (the namespace's network policies let them reach the service). */
export const smokePodSelector = (service: string): Record<string, string> => ({ "app.kubernetes.io/name": `${service}-smoke` });

export function smokeJobArgs(inputs: SmokeJobInputs): k8s.batch.v1.JobArgs {
    const { smoke } = inputs;
    const timeout = seconds(smoke.timeout);
    const labels = {
        ...smokePodSelector(inputs.service),
        "app.kubernetes.io/part-of": "trading-platform",
        "trading-platform/environment": inputs.environment,
    };
    const env = pulumi
        .output(inputs.testedImage)
        .apply(image =>
            [
                ...Object.entries(smoke.env).map(([name, value]) => ({ name, value })),
                { name: SMOKE_ENV.targetUrl, value: inputs.targetUrl },
                { name: SMOKE_ENV.service, value: inputs.service },
                ...(inputs.colour ? [{ name: SMOKE_ENV.colour, value: inputs.colour }] : []),
                { name: SMOKE_ENV.image, value: image },
            ].sort((a, b) => a.name.localeCompare(b.name)),
        );
    return {
        metadata: {
            name: pulumi.output(inputs.testedImage).apply(image => smokeJobName(inputs.service, inputs.colour, image, smoke)),
            namespace: inputs.namespace,
            labels,
            annotations: { [PROVIDER_TIMEOUT_ANNOTATION]: String(timeout) },
        },
        spec: {
            // One attempt: a flaky smoke test is a failed one, and the update says so.
            backoffLimit: 0,
            activeDeadlineSeconds: timeout,
            template: {
                metadata: { labels },
                spec: {
                    restartPolicy: "Never",
                    // The checks call the service over HTTP; they need no Kubernetes API.
                    automountServiceAccountToken: false,
                    imagePullSecrets: inputs.imagePullSecret ? [{ name: inputs.imagePullSecret }] : undefined,
                    securityContext: podSecurityContext,
                    containers: [
                        {
                            name: "smoke",
                            image: smoke.image,
                            args: smoke.args,
                            env,
                            resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                            securityContext: containerSecurityContext,
                            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                        },
                    ],
                    volumes: [{ name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } }],
                },
            },
        },
    };
}
