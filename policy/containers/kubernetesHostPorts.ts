import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { withMetadata } from "../lib/metadata";

export const kubernetesHostPorts: ResourceValidationPolicy = {
    name: "kubernetes-host-ports",
    description: "No container binds a port of the node (hostPort): traffic reaches pods through Services and the declared load balancers.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["container-hardening", "network-exposure", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        for (const ref of containersOf(workload)) {
            const ports = Array.isArray(ref.container.ports) ? ref.container.ports : [];
            ports.forEach((port, i) => {
                // 0 and unset both mean "no host port" (Pod Security baseline's allowed values).
                const hostPort = port?.hostPort;
                if (hostPort === undefined || hostPort === null || hostPort === 0) return;
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} ports[${i}]${port.name ? ` ("${port.name}")` : ""} binds hostPort ${String(hostPort)} on the node ` +
                        "(reachable by anything that reaches the node, past every NetworkPolicy, and one pod per node at most). " +
                        "Fix: remove hostPort and expose the containerPort through a Service.",
                );
            });
        }
    }),
};
