import { resourceOf } from "./policyHarness";
import { EvaluatedResource } from "../../tools/engine/resource";

// Valid resources that each test breaks in exactly one way.

export const DOCKER_CONTAINER = "docker:index/container:Container";

export function dockerContainer(stack: string, overrides: Record<string, unknown> = {}): EvaluatedResource {
    const paper = stack !== "production";
    const inputs: Record<string, unknown> = {
        name: `synaptic-${stack}-rest-adapter`,
        image: "ghcr.io/synaptic-platform/synaptictrading/rest-adapter@sha256:" + "a".repeat(64),
        readOnly: true,
        user: "10001:10001",
        envs: [
            `TRADING_MODE=${paper ? "paper" : "live"}`,
            `DRY_RUN=${paper}`,
            `ALPACA_PAPER=${paper}`,
            `BROKER_ENDPOINT=https://${paper ? "paper-api" : "api"}.alpaca.markets`,
            `ALPACA_${paper ? "PAPER" : "LIVE"}_KEY_FILE=/run/secrets/alpaca-${paper ? "paper" : "live"}-key`,
            "SECRETS_DIR=/run/secrets",
            "LOG_LEVEL=info",
        ],
        labels: [{ label: "io.synaptic.trading-mode", value: paper ? "paper" : "live" }],
        ...overrides,
    };
    return resourceOf(stack, DOCKER_CONTAINER, String(inputs.name), inputs);
}

/** A container that passes every Kubernetes hardening rule of the pack. */
export function hardenedContainer(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name,
        image: "ghcr.io/synaptic-platform/synaptictrading/api@sha256:" + "b".repeat(64),
        securityContext: {
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
        readinessProbe: { httpGet: { path: "/readyz", port: 8080 } },
        livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
        ...overrides,
    };
}

export function hardenedPodSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containers: [hardenedContainer("api")],
        volumes: [{ name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } }],
        topologySpreadConstraints: [
            {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: { app: "api" } },
            },
        ],
        ...overrides,
    };
}

const workloadKinds: Record<string, { apiVersion: string; wrap: (podSpec: Record<string, unknown>) => Record<string, unknown> }> = {
    Pod: { apiVersion: "v1", wrap: spec => ({ spec }) },
    Deployment: {
        apiVersion: "apps/v1",
        wrap: spec => ({
            spec: { replicas: 3, selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api" } }, spec } },
        }),
    },
    StatefulSet: {
        apiVersion: "apps/v1",
        wrap: spec => ({
            spec: {
                replicas: 3,
                serviceName: "api",
                selector: { matchLabels: { app: "api" } },
                template: { metadata: { labels: { app: "api" } }, spec },
            },
        }),
    },
    DaemonSet: {
        apiVersion: "apps/v1",
        wrap: spec => ({ spec: { selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api" } }, spec } } }),
    },
    ReplicaSet: {
        apiVersion: "apps/v1",
        wrap: spec => ({
            spec: { replicas: 3, selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api" } }, spec } },
        }),
    },
    Job: { apiVersion: "batch/v1", wrap: spec => ({ spec: { template: { spec: { restartPolicy: "Never", ...spec } } } }) },
    CronJob: {
        apiVersion: "batch/v1",
        wrap: spec => ({
            spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", ...spec } } } } },
        }),
    },
};
/** The built-in workload kinds. */
export const WORKLOAD_KINDS = Object.keys(workloadKinds);

// Kinds no policy names, which carry a pod template all the same: they are judged by shape.
Object.assign(workloadKinds, {
    Rollout: {
        apiVersion: "argoproj.io/v1alpha1",
        wrap: spec => ({
            spec: { replicas: 3, selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api" } }, spec } },
        }),
    },
    DeploymentConfig: {
        apiVersion: "apps.openshift.io/v1",
        wrap: spec => ({ spec: { replicas: 3, selector: { app: "api" }, template: { metadata: { labels: { app: "api" } }, spec } } }),
    },
} satisfies typeof workloadKinds);
/** An Argo Rollout and an OpenShift DeploymentConfig: `workload(kind)` builds them too. */
export const SHAPED_KINDS = ["Rollout", "DeploymentConfig"];

/** A Kubernetes workload of `kind` wrapping `podSpec`, typed and named as Pulumi registers it. */
export function workload(
    kind: string,
    podSpec: Record<string, unknown> = hardenedPodSpec(),
    stack = "staging",
    name = "api",
): EvaluatedResource {
    const { apiVersion, wrap } = workloadKinds[kind];
    const groupVersion = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
    return resourceOf(stack, `kubernetes:${groupVersion}:${kind}`, name, {
        apiVersion,
        kind,
        metadata: { name, namespace: `trading-${stack}` },
        ...wrap(podSpec),
    });
}
