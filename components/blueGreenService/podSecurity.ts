// How every pod BlueGreenService declares runs (the service's colours and its smoke test): as the
// unprivileged user the images are built for, with the runtime's default seccomp profile, each
// container read-only, without privilege escalation and without any capability. The pack's container
// policies hold them to it.

/** The pod's security context. */
export const podSecurityContext = {
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    fsGroup: 10001,
    seccompProfile: { type: "RuntimeDefault" },
};

/** Each container's security context. */
export const containerSecurityContext = {
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};
