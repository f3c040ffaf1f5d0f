import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, forEachWorkload } from "../lib/kubernetes";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

/**
 * Sockets of container runtimes and their daemons: whoever can write to one starts containers on the
 * node as root (Docker, containerd, CRI-O, cri-dockerd, Podman).
 */
const runtimeSocket = /\/(docker|containerd|crio|cri-dockerd|podman|dockershim)\.sock$/;
/** Directories that hold those sockets: mounting one mounts the socket. */
const socketDirectories = new Set([
    "/",
    "/run",
    "/var",
    "/var/run",
    ...["docker", "containerd", "crio", "podman", "cri-dockerd"].flatMap(d => [`/run/${d}`, `/var/run/${d}`]),
]);

/** Whether a host path is, or holds, a container runtime's socket. */
export function isRuntimeSocketPath(path: string): boolean {
    const normal = path.replace(/\/+$/, "") || "/";
    return runtimeSocket.test(normal) || socketDirectories.has(normal);
}

export const kubernetesHostPathVolumes: ResourceValidationPolicy = {
    name: "kubernetes-host-path-volumes",
    description: "No pod mounts a path of the node (a hostPath volume), least of all the container runtime's socket.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "critical", topics: ["container-hardening", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        const volumes = Array.isArray(workload.podSpec?.volumes) ? workload.podSpec.volumes : [];
        volumes.forEach((volume, i) => {
            const hostPath = volume?.hostPath;
            if (hostPath === undefined || hostPath === null) return;
            const path = typeof hostPath.path === "string" ? hostPath.path : "";
            const mountedBy = containersOf(workload)
                .filter(ref => (ref.container.volumeMounts ?? []).some(m => m?.name === volume.name))
                .map(ref => `"${ref.name}"`);
            const socket = isRuntimeSocketPath(path);
            reportViolation(
                `${workload.kind} "${args.name}": volume "${volume.name ?? `#${i}`}" (${workload.podSpecPath}.volumes[${i}]) mounts the node's ${showValue(path)}` +
                    (socket ? ", the container runtime's socket: whoever writes to it runs containers as root on the node" : "") +
                    (mountedBy.length > 0 ? ` into ${mountedBy.join(", ")}` : "") +
                    ". Fix: use an emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim instead" +
                    (socket ? "; build images with a rootless builder (BuildKit rootless, Kaniko) rather than the node's daemon." : "."),
            );
        });
    }),
};
