import * as k8s from "@pulumi/kubernetes";
import { ReportViolation, ResourceValidation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";

// Loose shapes of what a policy reads from a pod spec. Every field is optional: policies must tolerate
// manifests that omit anything, and say what is missing rather than throw.
export interface SecurityContextShape {
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    privileged?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
    seccompProfile?: { type?: string; localhostProfile?: string };
}
export interface EnvVarShape {
    name?: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name?: string; key?: string }; configMapKeyRef?: { name?: string; key?: string } };
}
export interface ContainerShape {
    name?: string;
    image?: string;
    env?: EnvVarShape[];
    securityContext?: SecurityContextShape;
    resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
    readinessProbe?: unknown;
    livenessProbe?: unknown;
    volumeMounts?: { name?: string; mountPath?: string; readOnly?: boolean }[];
}
export interface PodSpecShape {
    containers?: ContainerShape[];
    initContainers?: ContainerShape[];
    ephemeralContainers?: ContainerShape[];
    securityContext?: SecurityContextShape;
    volumes?: { name?: string; emptyDir?: unknown; secret?: { secretName?: string } }[];
    topologySpreadConstraints?: { topologyKey?: string; maxSkew?: number; whenUnsatisfiable?: string }[];
}
export interface PodTemplateMetadataShape {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}

/** A workload resource reduced to what the policies need: its kind, pod spec and pod template metadata. */
export interface Workload {
    kind: string;
    /** Where the pod spec sits in the resource, for messages (e.g. `spec.template.spec`). */
    podSpecPath: string;
    podSpec: PodSpecShape | undefined;
    podMetadata: PodTemplateMetadataShape | undefined;
    /** Desired replicas, where the kind has them. */
    replicas?: number;
}

export type ContainerKind = "containers" | "initContainers" | "ephemeralContainers";
export interface ContainerRef {
    kind: ContainerKind;
    index: number;
    name: string;
    container: ContainerShape;
    /** e.g. `spec.template.spec.initContainers[0]`. */
    path: string;
}

/** Every container of a pod spec: regular, init and ephemeral. */
export function containersOf(workload: Workload): ContainerRef[] {
    const refs: ContainerRef[] = [];
    for (const kind of ["containers", "initContainers", "ephemeralContainers"] as const) {
        const list = workload.podSpec?.[kind];
        if (!Array.isArray(list)) continue;
        list.forEach((container, index) => {
            refs.push({
                kind,
                index,
                name: container?.name ?? `#${index}`,
                container: container ?? {},
                path: `${workload.podSpecPath}.${kind}[${index}]`,
            });
        });
    }
    return refs;
}

/** "init container "vault-agent-init"" — how messages name a container. */
export function describeContainer(ref: ContainerRef): string {
    const label = ref.kind === "containers" ? "container" : ref.kind === "initContainers" ? "init container" : "ephemeral container";
    return `${label} "${ref.name}" (${ref.path})`;
}

export type WorkloadCheck = (workload: Workload, args: ResourceValidationArgs, reportViolation: ReportViolation) => void;

type Template = { metadata?: unknown; spec?: unknown } | undefined;
const fromTemplate = (kind: string, template: Template, path: string, replicas?: number): Workload => ({
    kind,
    podSpecPath: `${path}.spec`,
    podSpec: template?.spec as PodSpecShape | undefined,
    podMetadata: template?.metadata as PodTemplateMetadataShape | undefined,
    replicas,
});

/**
 * One typed validation per workload kind (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * CronJob), then one for any other Kubernetes kind that carries a pod. As an array, each is called
 * separately by the engine; the typed ones are "not applicable" to other types.
 */
export function forEachWorkload(check: WorkloadCheck): ResourceValidation[] {
    return [
        validateResourceOfType(k8s.core.v1.Pod, (pod, args, report) =>
            check({ kind: "Pod", podSpecPath: "spec", podSpec: pod.spec as PodSpecShape, podMetadata: pod.metadata as PodTemplateMetadataShape }, args, report),
        ),
        validateResourceOfType(k8s.apps.v1.Deployment, (d, args, report) =>
            check(fromTemplate("Deployment", d.spec?.template, "spec.template", d.spec?.replicas), args, report),
        ),
        validateResourceOfType(k8s.apps.v1.StatefulSet, (s, args, report) =>
            check(fromTemplate("StatefulSet", s.spec?.template, "spec.template", s.spec?.replicas), args, report),
        ),
        validateResourceOfType(k8s.apps.v1.DaemonSet, (d, args, report) =>
            check(fromTemplate("DaemonSet", d.spec?.template, "spec.template"), args, report),
        ),
        validateResourceOfType(k8s.apps.v1.ReplicaSet, (r, args, report) =>
            check(fromTemplate("ReplicaSet", r.spec?.template, "spec.template", r.spec?.replicas), args, report),
        ),
        validateResourceOfType(k8s.batch.v1.Job, (j, args, report) => check(fromTemplate("Job", j.spec?.template, "spec.template"), args, report)),
        validateResourceOfType(k8s.batch.v1.CronJob, (c, args, report) =>
            check(fromTemplate("CronJob", c.spec?.jobTemplate?.spec?.template, "spec.jobTemplate.spec.template"), args, report),
        ),
        // Every other Kubernetes kind that carries a pod: older API versions (extensions/v1beta1,
        // apps/v1beta2 Deployments), custom resources with a pod template (an Argo Rollout) and kinds
        // with containers of their own. Judged by shape, so no workload escapes by its apiVersion.
        (args, report) => {
            if (!args.type.startsWith("kubernetes:") || (workloadTypes as readonly string[]).includes(args.type)) return;
            const workload = workloadByShape(args.type, args.props);
            if (workload) check(workload, args, report);
        },
    ];
}

/** The pod a Kubernetes resource of any kind carries, found by shape: a pod template, a job template, or containers in spec. */
export function workloadByShape(type: string, props: Record<string, unknown>): Workload | undefined {
    const kind = type.slice(type.lastIndexOf(":") + 1);
    const spec = asRecord(props.spec);
    if (!spec) return undefined;
    const hasPod = (template: Record<string, unknown> | undefined) => Array.isArray(asRecord(template?.spec)?.containers);
    const replicas = typeof spec.replicas === "number" ? spec.replicas : undefined;
    const template = asRecord(spec.template);
    if (hasPod(template)) return fromTemplate(kind, template as Template, "spec.template", replicas);
    const jobTemplate = asRecord(asRecord(asRecord(spec.jobTemplate)?.spec)?.template);
    if (hasPod(jobTemplate)) return fromTemplate(kind, jobTemplate as Template, "spec.jobTemplate.spec.template");
    if (Array.isArray(spec.containers)) {
        return { kind, podSpecPath: "spec", podSpec: spec as PodSpecShape, podMetadata: props.metadata as PodTemplateMetadataShape, replicas };
    }
    return undefined;
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The Pulumi types `forEachWorkload` covers, for tools that map manifests to types. */
export const workloadTypes = [
    "kubernetes:core/v1:Pod",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
] as const;
