import { strict as assert } from "assert";
import { rolloutAnnotations, VAULT_TOKEN_VOLUME, vaultAnnotations, vaultTemplate } from "../../../components/blueGreenService";
import { albActionAnnotationKey, albActionName, ALB_ACTION_ANNOTATION_PREFIX } from "../../../platform/rollout";
import { API_BLUE, API_GREEN, blueGreen, declare, named, ofKind, serviceArgs } from "../../support/blueGreen";

describe("component BlueGreenService", () => {
    describe("blue-green at a canary step", () => {
        let resources: Awaited<ReturnType<typeof declare>>;
        before(async () => {
            resources = await declare(serviceArgs(blueGreen({ weight: 5 })));
        });

        it("declares a Deployment, Service and PodDisruptionBudget per colour, one Ingress and a ServiceAccount", () => {
            assert.deepEqual(resources.map(r => `${r.type.split(":").pop()}/${r.name}`).sort(), [
                "BlueGreenService/api",
                "Deployment/api-blue",
                "Deployment/api-green",
                "Ingress/api",
                "PodDisruptionBudget/api-blue",
                "PodDisruptionBudget/api-green",
                "PodMonitor/api-metrics",
                "Service/api-blue",
                "Service/api-green",
                "ServiceAccount/api",
            ]);
        });

        it("declares a PodMonitor labelling every series with the service and the colour the promotion's queries select on", () => {
            const monitor = named(resources, "PodMonitor", "api-metrics") as any; // eslint-disable-line @typescript-eslint/no-explicit-any
            assert.equal(monitor.apiVersion, "monitoring.coreos.com/v1");
            assert.equal(monitor.kind, "PodMonitor");
            assert.deepEqual(monitor.spec.selector, { matchLabels: { "app.kubernetes.io/name": "api" } });
            assert.deepEqual(monitor.spec.podMetricsEndpoints, [
                {
                    port: "http",
                    path: "/metrics",
                    interval: "30s",
                    relabelings: [
                        { sourceLabels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], targetLabel: "service" },
                        { sourceLabels: ["__meta_kubernetes_pod_label_trading_platform_colour"], targetLabel: "colour" },
                    ],
                },
            ]);
            // The pods carry the labels the relabelling reads.
            const labels = named(resources, "Deployment", "api-green").spec as any; // eslint-disable-line @typescript-eslint/no-explicit-any
            assert.equal(labels.template.metadata.labels["app.kubernetes.io/name"], "api");
            assert.equal(labels.template.metadata.labels[rolloutAnnotations.colour], "green");
        });

        it("splits traffic at the ALB by weight, never by flipping a selector", () => {
            const ingress = named(resources, "Ingress", "api");
            const action = JSON.parse(ingress.metadata.annotations[albActionAnnotationKey("api")]);
            assert.deepEqual(action.forwardConfig.targetGroups, [
                { serviceName: "api-blue", servicePort: "8080", weight: 95 },
                { serviceName: "api-green", servicePort: "8080", weight: 5 },
            ]);
            assert.deepEqual(ingress.spec.rules[0].http.paths[0].backend, {
                service: { name: albActionName("api"), port: { name: "use-annotation" } },
            });
            assert.equal(ingress.spec.ingressClassName, "alb");
            assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/target-type"], "ip");
            assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/group.name"], "trading-prod");
            for (const colour of ["blue", "green"]) {
                assert.deepEqual(named(resources, "Service", `api-${colour}`).spec.selector, {
                    "app.kubernetes.io/name": "api",
                    [rolloutAnnotations.colour]: colour,
                });
            }
        });

        it("runs both colours at full size and guards the ones with traffic", () => {
            assert.equal(named(resources, "Deployment", "api-blue").spec.replicas, 5);
            assert.equal(named(resources, "Deployment", "api-green").spec.replicas, 5);
            assert.deepEqual(named(resources, "PodDisruptionBudget", "api-blue").spec.minAvailable, 3);
            assert.deepEqual(named(resources, "PodDisruptionBudget", "api-green").spec.minAvailable, 3);
            assert.equal(named(resources, "Deployment", "api-green").spec.template.spec.containers[0].image, API_GREEN);
            assert.equal(named(resources, "Deployment", "api-blue").spec.template.spec.containers[0].image, API_BLUE);
        });

        it("rolls each colour with no downtime", () => {
            for (const d of ofKind(resources, "Deployment")) {
                const spec = d.inputs.spec as any; // eslint-disable-line @typescript-eslint/no-explicit-any
                assert.deepEqual(spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
                const container = spec.template.spec.containers[0];
                assert.deepEqual(container.readinessProbe.httpGet, { path: "/readyz", port: "http" });
                assert.deepEqual(container.livenessProbe.httpGet, { path: "/healthz", port: "http" });
                assert.deepEqual(container.lifecycle, { preStop: { sleep: { seconds: 15 } } });
            }
        });

        it("hardens pods: read-only root with an emptyDir, non-root, no escalation, no capabilities, RuntimeDefault seccomp, limits, zone spread", () => {
            const pod = named(resources, "Deployment", "api-green").spec.template.spec;
            const container = pod.containers[0];
            assert.deepEqual(container.securityContext, {
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            });
            assert.deepEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
            assert.equal(pod.securityContext.runAsNonRoot, true);
            assert.deepEqual(container.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
            assert.deepEqual(pod.volumes[0], { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } });
            assert.deepEqual(container.resources, { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "1Gi" } });
            assert.equal(pod.topologySpreadConstraints[0].topologyKey, "topology.kubernetes.io/zone");
            assert.equal(pod.topologySpreadConstraints[0].whenUnsatisfiable, "DoNotSchedule");
            assert.deepEqual(pod.imagePullSecrets, [{ name: "ghcr-pull" }]);
        });

        it("mounts no service-account token in any pod: the Vault agent alone logs in, with a projected token no app container mounts", () => {
            assert.equal(named(resources, "ServiceAccount", "api").automountServiceAccountToken, false);
            for (const colour of ["blue", "green"]) {
                const template = named(resources, "Deployment", `api-${colour}`).spec.template;
                assert.equal(template.spec.automountServiceAccountToken, false);
                assert.equal(
                    template.metadata.annotations["vault.hashicorp.com/agent-service-account-token-volume-name"],
                    VAULT_TOKEN_VOLUME,
                );
                assert.deepEqual(
                    template.spec.volumes.find((v: { name: string }) => v.name === VAULT_TOKEN_VOLUME),
                    {
                        name: VAULT_TOKEN_VOLUME,
                        projected: { sources: [{ serviceAccountToken: { path: "token", expirationSeconds: 3600 } }] },
                    },
                );
                for (const container of template.spec.containers) {
                    assert.ok(
                        !(container.volumeMounts ?? []).some((m: { name: string }) => m.name === VAULT_TOKEN_VOLUME),
                        `${container.name} mounts the agent's token`,
                    );
                }
            }
        });

        it("injects secrets through the Vault agent, one template per file rendering the bare value, and never as literal values", () => {
            const template = named(resources, "Deployment", "api-blue").spec.template;
            assert.equal(template.metadata.annotations["vault.hashicorp.com/agent-inject"], "true");
            assert.equal(template.metadata.annotations["vault.hashicorp.com/role"], "trading-prod-api");
            assert.equal(
                template.metadata.annotations["vault.hashicorp.com/agent-inject-secret-alpaca"],
                "secret/data/trading/production/alpaca-live",
            );
            assert.equal(
                template.metadata.annotations["vault.hashicorp.com/agent-inject-template-alpaca"],
                '{{- with secret "secret/data/trading/production/alpaca-live" -}}{{ .Data.data.value }}{{- end -}}',
            );
            const secrets = Object.keys(template.metadata.annotations).filter(k =>
                k.startsWith("vault.hashicorp.com/agent-inject-secret-"),
            );
            const templates = Object.keys(template.metadata.annotations).filter(k =>
                k.startsWith("vault.hashicorp.com/agent-inject-template-"),
            );
            assert.deepEqual(
                templates.map(k => k.split("-").pop()),
                secrets.map(k => k.split("-").pop()),
            );
            const env = template.spec.containers[0].env as { name: string; value: string }[];
            assert.deepEqual(
                env.find(e => e.name === "ALPACA_FILE"),
                { name: "ALPACA_FILE", value: "/vault/secrets/alpaca" },
            );
            assert.ok(
                env.every(e => !/SECRET|TOKEN|PASSWORD/.test(e.name)),
                JSON.stringify(env),
            );
        });

        it("annotates each colour with what the stack policy checks", () => {
            assert.deepEqual(named(resources, "Deployment", "api-green").metadata.annotations, {
                [rolloutAnnotations.service]: "api",
                [rolloutAnnotations.colour]: "green",
                [rolloutAnnotations.weight]: "5",
                [rolloutAnnotations.minReady]: "3",
            });
        });
    });

    it("after finalize scales the old colour to one replica and lets it be disrupted", async () => {
        const resources = await declare(serviceArgs(blueGreen({ weight: 100, finalize: true })));
        assert.equal(named(resources, "Deployment", "api-blue").spec.replicas, 1);
        assert.deepEqual(named(resources, "PodDisruptionBudget", "api-blue").spec, {
            maxUnavailable: 1,
            selector: { matchLabels: { "app.kubernetes.io/name": "api", [rolloutAnnotations.colour]: "blue" } },
        });
        assert.equal(named(resources, "Deployment", "api-green").spec.replicas, 5);
    });

    it("declares only the colours that have an image", async () => {
        const resources = await declare(serviceArgs(blueGreen({ images: { blue: API_BLUE } })));
        assert.deepEqual(
            ofKind(resources, "Deployment").map(r => r.name),
            ["api-blue"],
        );
    });

    it("refuses an impossible position instead of declaring it", async () => {
        await assert.rejects(
            declare(serviceArgs(blueGreen({ weight: 10 }))),
            /impossible blue-green position: weight 10 is not one of the canary weights 0, 5, 25, 50, 100/,
        );
    });

    it("in rolling mode declares one unsuffixed set of objects and a plain Ingress backend", async () => {
        const image = "ghcr.io/synaptic-platform/synaptictrading/api:api-4c1f9e2b7d3a5c8e0f6b1a2d9c7e4f3a8b5d6c2e";
        const resources = await declare(
            serviceArgs({ strategy: "rolling", image }, { namespace: "trading-staging", environment: "staging" }),
            "staging",
        );
        assert.deepEqual(
            ofKind(resources, "Deployment").map(r => r.name),
            ["api"],
        );
        const deployment = named(resources, "Deployment", "api");
        assert.equal(deployment.spec.template.spec.containers[0].image, image);
        assert.deepEqual(deployment.spec.selector.matchLabels, { "app.kubernetes.io/name": "api" });
        const ingress = named(resources, "Ingress", "api");
        assert.deepEqual(ingress.spec.rules[0].http.paths[0].backend, { service: { name: "api", port: { number: 8080 } } });
        assert.equal(
            Object.keys(ingress.metadata.annotations).some(k => k.startsWith(ALB_ACTION_ANNOTATION_PREFIX)),
            false,
        );
    });

    it("declares no Ingress for a service without one (a queue worker)", async () => {
        const resources = await declare(serviceArgs({ strategy: "rolling", image: API_BLUE }, { service: "worker", ingress: undefined }));
        assert.deepEqual(ofKind(resources, "Ingress"), []);
    });
});

describe("component BlueGreenService: a FIX service behind an NLB", () => {
    const FIX_BLUE = "ghcr.io/synaptic-platform/synaptictrading/fix-gateway@sha256:" + "3".repeat(64);
    const FIX_GREEN = "ghcr.io/synaptic-platform/synaptictrading/fix-gateway@sha256:" + "4".repeat(64);
    const fixArgs = (weight: number, tls = true) =>
        serviceArgs(
            {
                strategy: "blueGreen",
                state: { activeColour: "blue", images: { blue: FIX_BLUE, green: FIX_GREEN }, weight, finalize: false },
            },
            {
                service: "fix-gateway",
                replicas: 3,
                minReady: 2,
                ingress: undefined,
                nlb: {
                    port: 9878,
                    tls: tls
                        ? {
                              certificateArn: "arn:aws:acm:ap-south-1:444455556666:certificate/7a9c1e3b-2d4f-4a6b-8c0e-1f3a5b7d9e2c",
                              sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                          }
                        : undefined,
                },
            },
        );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const sessionFlag = (deployment: Record<string, any>) =>
        deployment.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === "FIX_SESSION_ENABLED").value;

    it("declares an internal NLB with IP targets and TLS, and no Ingress", async () => {
        const resources = await declare(fixArgs(0));
        assert.equal(ofKind(resources, "Ingress").length, 0);
        const nlb = named(resources, "Service", "fix-gateway-nlb");
        assert.equal(nlb.spec.type, "LoadBalancer");
        assert.equal(nlb.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-type"], "external");
        assert.equal(nlb.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"], "ip");
        assert.equal(nlb.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"], "internal");
        assert.equal(nlb.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-ports"], "9878");
        assert.deepEqual(nlb.spec.ports, [
            { name: "fix", port: 9878, targetPort: "fix", protocol: "TCP", appProtocol: "trading-platform/fix" },
        ]);
    });

    it("plain TCP when no certificate is configured", async () => {
        const nlb = named(await declare(fixArgs(0, false)), "Service", "fix-gateway-nlb");
        assert.equal(nlb.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"], undefined);
    });

    it("before the cutover: the NLB selects the active colour, whose session alone is enabled", async () => {
        const resources = await declare(fixArgs(0));
        assert.equal(named(resources, "Service", "fix-gateway-nlb").spec.selector["trading-platform/colour"], "blue");
        assert.equal(sessionFlag(named(resources, "Deployment", "fix-gateway-blue")), "true");
        assert.equal(sessionFlag(named(resources, "Deployment", "fix-gateway-green")), "false");
    });

    it("the cutover moves the selector and the session to the new colour in one update", async () => {
        const resources = await declare(fixArgs(100));
        assert.equal(named(resources, "Service", "fix-gateway-nlb").spec.selector["trading-platform/colour"], "green");
        assert.equal(sessionFlag(named(resources, "Deployment", "fix-gateway-blue")), "false");
        assert.equal(sessionFlag(named(resources, "Deployment", "fix-gateway-green")), "true");
    });
    it("renders a KV version 2 secret from .Data.data and a version 1 secret from .Data, and injects nothing without secrets", () => {
        assert.equal(
            vaultTemplate("secret/data/trading/staging/redis"),
            '{{- with secret "secret/data/trading/staging/redis" -}}{{ .Data.data.value }}{{- end -}}',
        );
        assert.equal(vaultTemplate("kv/trading/redis"), '{{- with secret "kv/trading/redis" -}}{{ .Data.value }}{{- end -}}');
        assert.deepEqual(vaultAnnotations("trading-prod-worker", {}), {});
    });
});
