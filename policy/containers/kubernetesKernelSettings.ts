import { ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describeContainer, forEachWorkload } from "../lib/kubernetes";
import { listOf } from "../lib/kubernetesSecurity";
import { showValue } from "../lib/report";
import { withMetadata } from "../lib/metadata";

/**
 * The sysctls Pod Security baseline allows: namespaced by the kernel, so a pod setting them changes
 * only itself (Kubernetes' "safe" set, as of 1.29).
 */
export const SAFE_SYSCTLS: readonly string[] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];

export const kubernetesKernelSettings: ResourceValidationPolicy = {
    name: "kubernetes-proc-mount-sysctls",
    description:
        "No container unmasks /proc (procMount other than Default), and no pod sets a sysctl outside Kubernetes' safe, namespaced set.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["container-hardening", "kubernetes"] }),
    validateResource: forEachWorkload((workload, args, reportViolation) => {
        for (const ref of containersOf(workload)) {
            const procMount = ref.container.securityContext?.procMount;
            if (procMount !== undefined && procMount !== null && procMount !== "Default") {
                reportViolation(
                    `${workload.kind} "${args.name}": ${describeContainer(ref)} has securityContext.procMount ${showValue(procMount)} ` +
                        "(the kernel's masked /proc paths become readable and writable). Fix: remove procMount (or set Default).",
                );
            }
        }
        listOf(workload.podSpec?.securityContext?.sysctls).forEach((entry, i) => {
            const name = (entry as { name?: unknown } | null)?.name;
            if (typeof name === "string" && SAFE_SYSCTLS.includes(name)) return;
            reportViolation(
                `${workload.kind} "${args.name}": ${workload.podSpecPath}.securityContext.sysctls[${i}] sets ${showValue(name)}, which is not namespaced by the kernel ` +
                    `(it may change the whole node). Fix: remove it, or use only ${SAFE_SYSCTLS.join(", ")}.`,
            );
        });
    }),
};
