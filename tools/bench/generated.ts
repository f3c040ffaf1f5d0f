// Generated resources for the benchmark: what the components declare, at any count.
import { PlannedResource, plannedResource } from "../engine/resource";

/**
 * `count` resources of three kinds (a Docker container, a hardened Deployment, a network), all passing
 * the pack; the first is the namespace's default-deny NetworkPolicy the Deployments run under.
 */
export function generatedResources(count: number, stack: string): PlannedResource[] {
    const base = (type: string, name: string, inputs: Record<string, unknown>) =>
        plannedResource(`urn:pulumi:${stack}::trading-platform::${type}::${name}`, type, name, inputs);
    const namespace = `trading-${stack}`;
    const resources: PlannedResource[] = [
        base("kubernetes:networking.k8s.io/v1:NetworkPolicy", "default-deny", {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "default-deny", namespace },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }),
    ];
    for (let i = 1; i < count; i++) {
        const name = `svc-${i}`;
        switch (i % 3) {
            case 0:
                resources.push(
                    base("docker:index/container:Container", name, {
                        name,
                        image: `ghcr.io/synaptic-platform/synaptictrading/${name}@sha256:${"a".repeat(64)}`,
                        readOnly: true,
                        envs: [
                            "TRADING_MODE=paper",
                            "DRY_RUN=true",
                            "BROKER_ENDPOINT=https://paper-api.alpaca.markets",
                            `KEY_FILE=/run/secrets/${name}`,
                        ],
                        labels: [{ label: "io.synaptic.trading-mode", value: "paper" }],
                    }),
                );
                break;
            case 1: {
                // A hardened workload, as the components declare them: the bench measures the usual case.
                const container = (containerName: string) => ({
                    name: containerName,
                    image: "ghcr.io/synaptic-platform/synaptictrading/app:v1.0.0",
                    securityContext: {
                        readOnlyRootFilesystem: true,
                        runAsNonRoot: true,
                        allowPrivilegeEscalation: false,
                        capabilities: { drop: ["ALL"] },
                    },
                    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                });
                resources.push(
                    base("kubernetes:apps/v1:Deployment", name, {
                        apiVersion: "apps/v1",
                        kind: "Deployment",
                        metadata: { name, namespace },
                        spec: {
                            replicas: 3,
                            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
                            template: {
                                spec: {
                                    automountServiceAccountToken: false,
                                    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
                                    topologySpreadConstraints: [
                                        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" },
                                    ],
                                    initContainers: [container("init")],
                                    containers: [
                                        {
                                            ...container("app"),
                                            env: [{ name: "LOG_LEVEL", value: "info" }],
                                            readinessProbe: { httpGet: { path: "/readyz", port: 8080 } },
                                            livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
                                        },
                                    ],
                                },
                            },
                        },
                    }),
                );
                break;
            }
            default:
                resources.push(base("docker:index/network:Network", name, { name, internal: true }));
        }
    }
    return resources;
}
