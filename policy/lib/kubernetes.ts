import { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { forTypes, kubernetesTypes } from "./validation";

// Loose shapes of what a policy reads from a pod spec. Every field is optional: policies must tolerate
// manifests that omit anything, and say what is missing rather than throw.
export interface SecurityContextShape {
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    runAsGroup?: number;
    /** Pod level only. */
    fsGroup?: number;
    supplementalGroups?: number[];
    sysctls?: { name?: string; value?: string }[];
    /** Container level only. */
    procMount?: string;
    windowsOptions?: { hostProcess?: boolean };
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
    ports?: { name?: string; containerPort?: number; hostPort?: number; hostIP?: string; protocol?: string }[];
}
export interface PodSpecShape {
    containers?: ContainerShape[];
    initContainers?: ContainerShape[];
    ephemeralContainers?: ContainerShape[];
    securityContext?: SecurityContextShape;
    volumes?: { name?: string; emptyDir?: unknown; secret?: { secretName?: string }; hostPath?: { path?: string; type?: string } }[];
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    hostUsers?: boolean;
    restartPolicy?: string;
    serviceAccountName?: string;
    automountServiceAccountToken?: boolean;
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
    /**
     * The pod's restartPolicy as Kubernetes applies it: its own, else `Always` (the default of a Pod and
     * of every pod template), except under a job, whose pods must name `OnFailure` or `Never`.
     */
    restartPolicy: string;
    /** The object's metadata.namespace; undefined when it sets none. */
    namespace?: string;
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

/** Every container of a pod spec: regular, init and ephemeral (listed once per workload, for every policy to read). */
export function containersOf(workload: Workload): readonly ContainerRef[] {
    let refs = containerLists.get(workload);
    if (!refs) {
        containerLists.set(
            workload,
            (refs = Object.isFrozen(workload) ? Object.freeze(listContainers(workload)) : listContainers(workload)),
        );
    }
    return refs;
}
const containerLists = new WeakMap<Workload, readonly ContainerRef[]>();

function listContainers(workload: Workload): ContainerRef[] {
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
    return refs.map(ref => Object.freeze(ref));
}

/** "init container "vault-agent-init"" — how messages name a container. */
export function describeContainer(ref: ContainerRef): string {
    const label = ref.kind === "containers" ? "container" : ref.kind === "initContainers" ? "init container" : "ephemeral container";
    return `${label} "${ref.name}" (${ref.path})`;
}

/**
 * The namespace an object lands in: its own, else the namespace its Pulumi provider applies (the
 * Kubernetes provider's `namespace`), else `default`, as the provider and kubectl do.
 */
export function namespaceOf(
    own: string | undefined,
    providerProps: Record<string, unknown> | undefined,
): { namespace: string; from: "object" | "provider" | "default" } {
    if (own) return { namespace: own, from: "object" };
    const fromProvider = providerProps?.namespace;
    if (typeof fromProvider === "string" && fromProvider !== "") return { namespace: fromProvider, from: "provider" };
    return { namespace: "default", from: "default" };
}

export type WorkloadCheck = (workload: Workload, args: ResourceValidationArgs, reportViolation: ReportViolation) => void;

/**
 * One validation for every Kubernetes object that carries a pod, found by its shape whatever its kind
 * or apiVersion: a Pod, a Deployment, a CronJob, an `extensions/v1beta1` Deployment, an Argo Rollout,
 * an OpenShift DeploymentConfig, a custom kind with a pod template. As an array, so policies can
 * spread it beside typed validations of their own.
 */
export function forEachWorkload(check: WorkloadCheck): ResourceValidation[] {
    return [
        forTypes(kubernetesTypes, (args, report) => {
            const workload = workloadOf(args.type, args.props);
            if (workload) check(workload, args, report);
        }),
    ];
}

// The engine hands every policy the same frozen props of a resource, so its pod is found once.
const workloads = new WeakMap<object, Workload | null>();

/** The pod a Kubernetes object of any kind carries (a pod template, a job template, or containers in spec), or undefined. */
export function workloadOf(type: string, props: Record<string, unknown>): Workload | undefined {
    let workload = workloads.get(props);
    if (workload === undefined) {
        const found = workloadByShape(type, props);
        workloads.set(props, (workload = found ? Object.freeze(found) : null));
    }
    return workload ?? undefined;
}

/** The pod a Kubernetes resource of any kind carries, found by shape: a pod template, a job template, or containers in spec. */
export function workloadByShape(type: string, props: Record<string, unknown>): Workload | undefined {
    const kind = type.slice(type.lastIndexOf(":") + 1);
    const spec = asRecord(props.spec) ?? {};
    const ownNamespace = asRecord(props.metadata)?.namespace;
    const namespace = typeof ownNamespace === "string" && ownNamespace !== "" ? ownNamespace : undefined;
    const replicas = typeof spec.replicas === "number" ? spec.replicas : undefined;
    const template = asRecord(spec.template);
    if (hasPod(template)) return fromTemplate(kind, namespace, template, "spec.template.spec", kind === "Job", replicas);
    const jobTemplate = asRecord(asRecord(asRecord(spec.jobTemplate)?.spec)?.template);
    if (hasPod(jobTemplate)) return fromTemplate(kind, namespace, jobTemplate, "spec.jobTemplate.spec.template.spec", true, undefined);
    if (Array.isArray(spec.containers)) {
        const own = spec.restartPolicy;
        const restartPolicy = typeof own === "string" ? own : "Always";
        return {
            kind,
            namespace,
            podSpecPath: "spec",
            podSpec: spec as PodSpecShape,
            podMetadata: props.metadata as PodTemplateMetadataShape,
            replicas,
            restartPolicy,
        };
    }
    // A built-in workload kind with no pod in it (a half-written manifest) is still judged, so a rule
    // on the workload itself (replicas, strategy) reports it rather than skipping it.
    const path = builtInWorkloadKinds[kind];
    if (path === undefined) return undefined;
    return {
        kind,
        namespace,
        podSpecPath: path,
        podSpec: undefined,
        podMetadata: undefined,
        replicas,
        restartPolicy: kind === "Job" || kind === "CronJob" ? "OnFailure" : "Always",
    };
}

const hasPod = (template: Record<string, unknown> | undefined): template is Record<string, unknown> =>
    template !== undefined && Array.isArray(asRecord(template.spec)?.containers);

function fromTemplate(
    kind: string,
    namespace: string | undefined,
    template: Record<string, unknown>,
    podSpecPath: string,
    underJob: boolean,
    replicas: number | undefined,
): Workload {
    const podSpec = template.spec as PodSpecShape;
    const own = podSpec.restartPolicy;
    const restartPolicy = typeof own === "string" ? own : underJob ? "OnFailure" : "Always";
    return {
        kind,
        namespace,
        podSpecPath,
        podSpec,
        podMetadata: template.metadata as PodTemplateMetadataShape | undefined,
        replicas,
        restartPolicy,
    };
}

/** The built-in kinds that carry a pod, and where their pod spec sits. */
const builtInWorkloadKinds: Record<string, string> = {
    Pod: "spec",
    Deployment: "spec.template.spec",
    StatefulSet: "spec.template.spec",
    DaemonSet: "spec.template.spec",
    ReplicaSet: "spec.template.spec",
    ReplicationController: "spec.template.spec",
    Job: "spec.template.spec",
    CronJob: "spec.jobTemplate.spec.template.spec",
};

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
