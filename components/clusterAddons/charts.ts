// Pure shapes of the cluster add-ons: which charts, where they live, and the values each one gets.
// The component declares them; tests read them directly.
import { rolloutAnnotations } from "../../platform";

/** Helm charts by add-on: repository, chart and the namespace it runs in. */
export const addonCharts = {
    loadBalancerController: { repo: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", namespace: "kube-system" },
    vaultInjector: { repo: "https://helm.releases.hashicorp.com", chart: "vault", namespace: "vault" },
    prometheus: { repo: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", namespace: "monitoring" },
    logShipping: { repo: "https://fluent.github.io/helm-charts", chart: "fluent-bit", namespace: "logging" },
} as const;
export type AddonName = keyof typeof addonCharts;

/** The pods of the Prometheus kube-prometheus-stack runs (the operator labels them so): what scrapes the services. */
export const PROMETHEUS_PODS = {
    namespace: addonCharts.prometheus.namespace,
    podLabels: { "app.kubernetes.io/name": "prometheus" },
} as const;

/** The Service the Prometheus operator creates for every Prometheus: where promotion queries metrics. */
export const PROMETHEUS_IN_CLUSTER_URL = `http://prometheus-operated.${addonCharts.prometheus.namespace}:9090`;

export const LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";
/**
 * The IAM policy AWS publishes for the controller, kept beside this file:
 * kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json at tag v3.5.0 (commit
 * 11eb202c97e4ae2ee45e0658c4cde9a4b59f33d4). Update it with the chart.
 */
export const LOAD_BALANCER_CONTROLLER_POLICY_VERSION = "v3.5.0";

/** Trust policy of a service-account role: only that service account, through the cluster's OIDC issuer. */
export function serviceAccountTrustPolicy(oidcProviderArn: string, issuerUrl: string, namespace: string, serviceAccount: string): string {
    const issuer = issuerUrl.replace(/^https:\/\//, "");
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: oidcProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                        [`${issuer}:aud`]: "sts.amazonaws.com",
                    },
                },
            },
        ],
    });
}

/** `S` is a string or a value the deployment computes (the role's ARN, the VPC's id). */
export function loadBalancerControllerValues<S>(args: { clusterName: S; region: string; vpcId: S; roleArn: S }) {
    return {
        clusterName: args.clusterName,
        region: args.region,
        vpcId: args.vpcId,
        replicaCount: 2,
        serviceAccount: {
            create: true,
            name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
            annotations: { "eks.amazonaws.com/role-arn": args.roleArn },
        },
        // A LoadBalancer Service gets an NLB only when it asks for one by annotation.
        enableServiceMutatorWebhook: false,
    };
}

/** Injector only: the Vault server runs outside the cluster, at `externalVaultAddr`. */
export function vaultInjectorValues(args: { externalVaultAddr: string; authPath: string }) {
    return {
        global: { externalVaultAddr: args.externalVaultAddr, tlsDisable: false },
        injector: { enabled: true, replicas: 2, authPath: args.authPath },
        server: { enabled: false },
        csi: { enabled: false },
        ui: { enabled: false },
    };
}

export interface PrometheusSettings {
    retention: string;
    retentionSize?: string;
    storageSize: string;
    storageClass: string;
}

/**
 * Where kubelets serve resource metrics since Kubernetes 1.18; kube-prometheus-stack 72.9.1 still
 * defaults `kubelet.serviceMonitor.resourcePath` to `/metrics/resource/v1alpha1`, gone since 1.20
 * (a target that never comes up).
 */
export const KUBELET_RESOURCE_METRICS_PATH = "/metrics/resource";

/**
 * The Deployment annotations kube-state-metrics exposes (it exposes none by default): each colour's
 * traffic weight, which BlueGreenService writes on the colour's Deployment from the same value as the
 * Ingress's forward weights (the pack's blue-green stack policy holds them equal). The rollout
 * dashboard reads it as `kube_deployment_annotations{annotation_<key>="<weight>"}`.
 */
export const EXPOSED_DEPLOYMENT_ANNOTATIONS = [rolloutAnnotations.weight] as const;

/** The series and label kube-state-metrics writes an allowed Deployment annotation as (the key's other characters become `_`). */
export function deploymentAnnotationSeries(key: string): { metric: string; label: string } {
    return { metric: "kube_deployment_annotations", label: `annotation_${key.replace(/[^A-Za-z0-9_]/g, "_")}` };
}

/** Prometheus with kube-state-metrics and the kubelet and cAdvisor scrapes; no Grafana (the team's runs outside the cluster). */
export function prometheusValues(settings: PrometheusSettings, clusterName: string) {
    return {
        grafana: { enabled: false },
        alertmanager: { enabled: false },
        kubeStateMetrics: { enabled: true },
        // The kube-state-metrics subchart's own values.
        "kube-state-metrics": { metricAnnotationsAllowList: [`deployments=[${EXPOSED_DEPLOYMENT_ANNOTATIONS.join(",")}]`] },
        nodeExporter: { enabled: true },
        kubelet: { enabled: true, serviceMonitor: { cAdvisor: true, resource: true, resourcePath: KUBELET_RESOURCE_METRICS_PATH } },
        prometheus: {
            prometheusSpec: {
                retention: settings.retention,
                ...(settings.retentionSize ? { retentionSize: settings.retentionSize } : {}),
                externalLabels: { cluster: clusterName },
                // Scrape every ServiceMonitor and PodMonitor, not only the chart's own.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                storageSpec: {
                    volumeClaimTemplate: {
                        spec: {
                            storageClassName: settings.storageClass,
                            accessModes: ["ReadWriteOnce"],
                            resources: { requests: { storage: settings.storageSize } },
                        },
                    },
                },
            },
        },
    };
}

/** Fluent Bit tails every container's log and pushes it to Loki with the pod's namespace, pod and container. */
export function logShippingValues(lokiPushUrl: string, labels: Record<string, string>) {
    const url = new URL(lokiPushUrl);
    const tls = url.protocol === "https:";
    const port = url.port || (tls ? "443" : "80");
    const staticLabels = Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");
    return {
        config: {
            inputs: [
                "[INPUT]",
                "    Name tail",
                "    Path /var/log/containers/*.log",
                "    multiline.parser docker, cri",
                "    Tag kube.*",
                "    Mem_Buf_Limit 16MB",
                "    Skip_Long_Lines On",
                "",
            ].join("\n"),
            filters: [
                "[FILTER]",
                "    Name kubernetes",
                "    Match kube.*",
                "    Merge_Log On",
                "    Keep_Log Off",
                "    K8S-Logging.Exclude On",
                "",
            ].join("\n"),
            outputs: [
                "[OUTPUT]",
                "    Name loki",
                "    Match kube.*",
                `    Host ${url.hostname}`,
                `    Port ${port}`,
                `    Uri ${url.pathname}`,
                `    tls ${tls ? "On" : "Off"}`,
                `    tls.verify ${tls ? "On" : "Off"}`,
                `    Labels job=fluent-bit, ${staticLabels}`,
                "    Label_keys $kubernetes['namespace_name'],$kubernetes['pod_name'],$kubernetes['container_name']",
                "    Line_Format json",
                "",
            ].join("\n"),
        },
    };
}
