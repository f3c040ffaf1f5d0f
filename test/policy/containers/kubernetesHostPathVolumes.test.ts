import { strict as assert } from "assert";
import { isRuntimeSocketPath, kubernetesHostPathVolumes } from "../../../policy/containers/kubernetesHostPathVolumes";
import { hardenedContainer, hardenedPodSpec, workload, WORKLOAD_KINDS } from "../../support/fixtures";
import { violationsOf } from "../../support/policyHarness";

const withHostPath = (path: string) =>
    hardenedPodSpec({
        containers: [
            hardenedContainer("api", {
                volumeMounts: [
                    { name: "tmp", mountPath: "/tmp" },
                    { name: "host", mountPath: "/host" },
                ],
            }),
        ],
        volumes: [
            { name: "tmp", emptyDir: {} },
            { name: "host", hostPath: { path, type: "Directory" } },
        ],
    });

describe("policy kubernetes-host-path-volumes", () => {
    for (const kind of WORKLOAD_KINDS) {
        it(`passes a hardened ${kind} (emptyDir only) and fails one mounting a node path`, async () => {
            assert.deepEqual(await violationsOf(kubernetesHostPathVolumes, [workload(kind)]), []);
            const [message, ...rest] = await violationsOf(kubernetesHostPathVolumes, [workload(kind, withHostPath("/var/log"))]);
            assert.deepEqual(rest, []);
            assert.match(
                message,
                new RegExp(
                    `^${kind} "api": volume "host" \\(.*\\.volumes\\[1\\]\\) mounts the node's "/var/log" into "api"\\. Fix: use an emptyDir`,
                ),
            );
            assert.doesNotMatch(message, /runtime's socket/);
        });
    }

    it("calls out the container runtime's socket, or a directory holding it", async () => {
        for (const path of [
            "/var/run/docker.sock",
            "/run/containerd/containerd.sock",
            "/var/run/crio/crio.sock",
            "/var/run",
            "/run/containerd/",
            "/",
        ]) {
            const [message] = await violationsOf(kubernetesHostPathVolumes, [workload("DaemonSet", withHostPath(path))]);
            assert.match(message, /the container runtime's socket: whoever writes to it runs containers as root on the node/, path);
            assert.match(message, /rootless builder/, path);
        }
    });

    it("tells runtime sockets from other paths", () => {
        assert.equal(isRuntimeSocketPath("/var/run/docker.sock"), true);
        assert.equal(isRuntimeSocketPath("/run/podman/podman.sock"), true);
        assert.equal(isRuntimeSocketPath("/var/lib/kubelet"), false);
        assert.equal(isRuntimeSocketPath("/var/run/secrets"), false);
        assert.equal(isRuntimeSocketPath("/etc/docker.sockets"), false);
    });
});
