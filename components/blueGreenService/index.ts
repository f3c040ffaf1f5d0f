import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { albActionAnnotationKey, albActionName, colourObjectName, otherColour, rolloutAnnotations } from "../../platform/rollout";
import { FIX_APP_PROTOCOL, FIX_SESSION_ENV, NlbExposure, nlbAnnotations } from "./fixGateway";
import { serviceSelector } from "./labels";
import { podMonitorSpec, SCRAPE_INTERVAL } from "./metrics";
import { containerSecurityContext, podSecurityContext } from "./podSecurity";
import { BlueGreenState, ColourPlan, planColours } from "./rollout";
import { hasVersionToTest, SmokeTest, smokeJobArgs } from "./smoke";
import { vaultAnnotations as vaultPodAnnotations, vaultSecretsDir, vaultTokenVolume } from "./vault";

export { rolloutAnnotations } from "../../platform/rollout";
export * from "./fixGateway";
export * from "./labels";
export * from "./metrics";
export * from "./rollout";
export * from "./smoke";
export * from "./vault";

export interface BlueGreenServiceArgs {
    /** Service name, e.g. `api`; names every object it declares. */
    service: string;
    namespace: pulumi.Input<string>;
    environment: string;
    port: number;
    /** Replicas of a colour that serves traffic. */
    replicas: number;
    /** Ready replicas a colour with traffic never drops below. */
    minReady: number;
    resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
    probes: { readinessPath: string; livenessPath: string };
    /** Plain settings (the trading-mode flags included); never credentials. */
    env: Record<string, string>;
    /** Vault agent injection: the Kubernetes-auth role, and file name to Vault path. */
    vault: { role: string; secrets: Record<string, string> };
    /** Name of the dockerconfigjson secret pods pull from GHCR with. */
    imagePullSecret?: pulumi.Input<string>;
    /** Exposure through the AWS Load Balancer Controller. */
    ingress?: { host: string; scheme: "internet-facing" | "internal"; certificateArn: string; groupName: string; sslPolicy: string };
    /**
     * FIX over TCP through an internal NLB instead of an HTTP Ingress. The colour with all the traffic
     * runs its session (FIX_SESSION_ENABLED=true); the other runs with it disabled.
     */
    nlb?: NlbExposure;
    /** How often Prometheus scrapes the pods (the PodMonitor's interval). */
    scrapeInterval?: string;
    /**
     * A Job the update awaits against the new version: the candidate colour (blue-green, before any
     * traffic moves: the load balancer objects wait for it) or the rolled Deployment (rolling).
     */
    smoke?: SmokeTest;
    /** `rolling`: one Deployment updated in place. `blueGreen`: two colours, the candidate at a weight. */
    rollout:
        | { strategy: "rolling"; image: pulumi.Input<string> }
        | { strategy: "blueGreen"; state: Omit<BlueGreenState, "replicas" | "minReady"> };
}

interface Variant {
    /** Suffix of object names and the colour label; undefined for a rolling service. */
    colour?: ColourPlan["colour"];
    image: pulumi.Input<string>;
    replicas: number;
    weight: number;
    disruptionBudget: ColourPlan["disruptionBudget"];
}

/**
 * A trading service on EKS. Blue-green: each colour is its own Deployment, Service and
 * PodDisruptionBudget, and one ALB Ingress forwards to both Services by weight (a selector flip would
 * drop in-flight requests behind an ALB). Rolling: the same objects for one variant.
 */
export class BlueGreenService extends pulumi.ComponentResource {
    /** Traffic per colour (`{rolling: 100}` for a rolling service). */
    readonly weights: Record<string, number>;
    readonly deploymentNames: pulumi.Output<string>[];
    /** The smoke test's Job, when the service has one and a version to test. */
    readonly smokeJobName: pulumi.Output<string> | undefined;

    constructor(name: string, args: BlueGreenServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:k8s:BlueGreenService", name, {}, opts);
        const variants: Variant[] =
            args.rollout.strategy === "rolling"
                ? [{ image: args.rollout.image, replicas: args.replicas, weight: 100, disruptionBudget: { minAvailable: args.minReady } }]
                : planColours({ ...args.rollout.state, replicas: args.replicas, minReady: args.minReady });
        const parent = { parent: this };
        const svc = args.service;
        const objectName = (v: Variant) => (v.colour ? colourObjectName(svc, v.colour) : svc);
        const selectorOf = (v: Variant): Record<string, string> => ({
            ...serviceSelector(svc),
            ...(v.colour ? { [rolloutAnnotations.colour]: v.colour } : {}),
        });

        // The services never call the Kubernetes API: no pod of theirs mounts a token (the Vault agent gets its own, projected).
        const serviceAccount = new k8s.core.v1.ServiceAccount(
            svc,
            { metadata: { name: svc, namespace: args.namespace }, automountServiceAccountToken: false },
            parent,
        );
        const vaultAnnotations = vaultPodAnnotations(args.vault.role, args.vault.secrets);
        const injected = Object.keys(vaultAnnotations).length > 0;

        const deployments = variants.map(v => {
            const labels = {
                ...selectorOf(v),
                "app.kubernetes.io/part-of": "trading-platform",
                "trading-platform/environment": args.environment,
            };
            const sessionEnv = args.nlb ? { [FIX_SESSION_ENV]: String(v.weight === 100) } : {};
            const env = [
                ...Object.entries({ ...args.env, ...sessionEnv }).map(([envName, value]) => ({ name: envName, value })),
                ...Object.keys(args.vault.secrets).map(file => ({
                    name: `${file.toUpperCase().replace(/-/g, "_")}_FILE`,
                    value: `${vaultSecretsDir}/${file}`,
                })),
            ].sort((a, b) => a.name.localeCompare(b.name));
            return new k8s.apps.v1.Deployment(
                objectName(v),
                {
                    metadata: {
                        name: objectName(v),
                        namespace: args.namespace,
                        labels,
                        annotations: {
                            [rolloutAnnotations.service]: svc,
                            [rolloutAnnotations.colour]: v.colour ?? "rolling",
                            [rolloutAnnotations.weight]: String(v.weight),
                            [rolloutAnnotations.minReady]: String(args.minReady),
                        },
                    },
                    spec: {
                        replicas: v.replicas,
                        selector: { matchLabels: selectorOf(v) },
                        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
                        minReadySeconds: 10,
                        progressDeadlineSeconds: 600,
                        revisionHistoryLimit: 5,
                        template: {
                            metadata: { labels, annotations: vaultAnnotations },
                            spec: {
                                serviceAccountName: serviceAccount.metadata.name,
                                automountServiceAccountToken: false,
                                imagePullSecrets: args.imagePullSecret ? [{ name: args.imagePullSecret }] : undefined,
                                securityContext: podSecurityContext,
                                terminationGracePeriodSeconds: 45,
                                containers: [
                                    {
                                        name: svc,
                                        image: v.image,
                                        ports: [
                                            { name: "http", containerPort: args.port },
                                            ...(args.nlb ? [{ name: "fix", containerPort: args.nlb.port }] : []),
                                        ],
                                        env,
                                        resources: args.resources,
                                        readinessProbe: {
                                            httpGet: { path: args.probes.readinessPath, port: "http" },
                                            periodSeconds: 5,
                                            failureThreshold: 3,
                                        },
                                        livenessProbe: {
                                            httpGet: { path: args.probes.livenessPath, port: "http" },
                                            initialDelaySeconds: 15,
                                            periodSeconds: 10,
                                            failureThreshold: 6,
                                        },
                                        // Keep serving while the ALB deregisters the pod, so no request is cut.
                                        lifecycle: { preStop: { sleep: { seconds: 15 } } },
                                        securityContext: containerSecurityContext,
                                        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                                    },
                                ],
                                volumes: [
                                    { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } },
                                    ...(injected ? [vaultTokenVolume()] : []),
                                ],
                                topologySpreadConstraints: [
                                    {
                                        maxSkew: 1,
                                        topologyKey: "topology.kubernetes.io/zone",
                                        whenUnsatisfiable: "DoNotSchedule",
                                        labelSelector: { matchLabels: selectorOf(v) },
                                    },
                                    {
                                        maxSkew: 1,
                                        topologyKey: "kubernetes.io/hostname",
                                        whenUnsatisfiable: "ScheduleAnyway",
                                        labelSelector: { matchLabels: selectorOf(v) },
                                    },
                                ],
                            },
                        },
                    },
                },
                parent,
            );
        });

        const services = variants.map(
            v =>
                new k8s.core.v1.Service(
                    objectName(v),
                    {
                        metadata: { name: objectName(v), namespace: args.namespace, labels: selectorOf(v) },
                        spec: {
                            type: "ClusterIP",
                            selector: selectorOf(v),
                            ports: [
                                { name: "http", port: args.port, targetPort: "http" },
                                ...(args.nlb
                                    ? [
                                          {
                                              name: "fix",
                                              port: args.nlb.port,
                                              targetPort: "fix",
                                              protocol: "TCP",
                                              appProtocol: FIX_APP_PROTOCOL,
                                          },
                                      ]
                                    : []),
                            ],
                        },
                    },
                    parent,
                ),
        );

        variants.forEach(
            v =>
                new k8s.policy.v1.PodDisruptionBudget(
                    objectName(v),
                    {
                        metadata: { name: objectName(v), namespace: args.namespace },
                        spec: { ...v.disruptionBudget, selector: { matchLabels: selectorOf(v) } },
                    },
                    parent,
                ),
        );

        // The smoke test runs against the new version: the candidate colour of a blue-green service (it
        // starts at full size at weight 0), the only Deployment of a rolling one.
        const rollout = args.rollout;
        const tested = !hasVersionToTest(rollout)
            ? undefined
            : rollout.strategy === "blueGreen"
              ? variants.find(v => v.colour === otherColour(rollout.state.activeColour))
              : variants[0];
        const smoke =
            args.smoke && tested
                ? new k8s.batch.v1.Job(
                      `${svc}-smoke`,
                      smokeJobArgs({
                          service: svc,
                          namespace: args.namespace,
                          environment: args.environment,
                          colour: tested.colour,
                          testedImage: tested.image,
                          targetUrl: `http://${objectName(tested)}:${args.port}`,
                          imagePullSecret: args.imagePullSecret,
                          smoke: args.smoke,
                      }),
                      // After the version it tests is up and reachable (the provider awaits the Deployment's rollout).
                      { parent: this, dependsOn: [deployments[variants.indexOf(tested)], services[variants.indexOf(tested)]] },
                  )
                : undefined;
        // Blue-green: the load balancer objects move traffic only once the smoke test passed.
        const beforeTraffic = args.rollout.strategy === "blueGreen" && smoke ? [smoke] : [];

        if (args.nlb) {
            // One NLB for the service: the cutover moves its selector to the colour with all the
            // traffic, in the same update that enables that colour's session.
            const serving = variants.find(v => v.weight === 100) ?? variants[0];
            new k8s.core.v1.Service(
                `${svc}-nlb`,
                {
                    metadata: {
                        name: `${svc}-nlb`,
                        namespace: args.namespace,
                        labels: serviceSelector(svc),
                        annotations: nlbAnnotations(args.nlb),
                    },
                    spec: {
                        type: "LoadBalancer",
                        loadBalancerClass: "service.k8s.aws/nlb",
                        selector: selectorOf(serving),
                        ports: [{ name: "fix", port: args.nlb.port, targetPort: "fix", protocol: "TCP", appProtocol: FIX_APP_PROTOCOL }],
                    },
                },
                { parent: this, dependsOn: [...deployments, ...beforeTraffic] },
            );
        }

        if (args.ingress) {
            const weighted = args.rollout.strategy === "blueGreen";
            const forward = {
                type: "forward",
                forwardConfig: {
                    targetGroups: variants.map(v => ({ serviceName: objectName(v), servicePort: String(args.port), weight: v.weight })),
                    targetGroupStickinessConfig: { enabled: false },
                },
            };
            new k8s.networking.v1.Ingress(
                svc,
                {
                    metadata: {
                        name: svc,
                        namespace: args.namespace,
                        annotations: {
                            "alb.ingress.kubernetes.io/scheme": args.ingress.scheme,
                            "alb.ingress.kubernetes.io/target-type": "ip",
                            "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]),
                            "alb.ingress.kubernetes.io/certificate-arn": args.ingress.certificateArn,
                            "alb.ingress.kubernetes.io/ssl-policy": args.ingress.sslPolicy,
                            "alb.ingress.kubernetes.io/group.name": args.ingress.groupName,
                            "alb.ingress.kubernetes.io/healthcheck-path": args.probes.readinessPath,
                            "alb.ingress.kubernetes.io/target-group-attributes": "deregistration_delay.timeout_seconds=30",
                            ...(weighted ? { [albActionAnnotationKey(svc)]: JSON.stringify(forward) } : {}),
                        },
                    },
                    spec: {
                        ingressClassName: "alb",
                        rules: [
                            {
                                host: args.ingress.host,
                                http: {
                                    paths: [
                                        {
                                            path: "/",
                                            pathType: "Prefix",
                                            backend: weighted
                                                ? { service: { name: albActionName(svc), port: { name: "use-annotation" } } }
                                                : { service: { name: svc, port: { number: args.port } } },
                                        },
                                    ],
                                },
                            },
                        ],
                    },
                },
                { parent: this, dependsOn: [...services, ...beforeTraffic] },
            );
        }

        // The promotion reads the candidate's health from these series (docs/config.md#promotion).
        new k8s.apiextensions.CustomResource(
            `${svc}-metrics`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PodMonitor",
                metadata: { name: svc, namespace: args.namespace },
                spec: podMonitorSpec(svc, args.scrapeInterval ?? SCRAPE_INTERVAL),
            },
            parent,
        );

        this.weights = Object.fromEntries(variants.map(v => [v.colour ?? "rolling", v.weight]));
        this.deploymentNames = deployments.map(d => d.metadata.name);
        this.smokeJobName = smoke?.metadata.name;
        this.registerOutputs({ weights: this.weights, deploymentNames: this.deploymentNames, smokeJobName: this.smokeJobName });
    }
}
