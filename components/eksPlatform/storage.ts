// Persistent volumes in the cluster: the EBS CSI driver the EKS add-on installs, and the default
// StorageClass. Pure, so tests read them directly; EksPlatform declares them.
/** The cluster's default StorageClass (the name kube-prometheus-stack's volume claim asks for). */
export const DEFAULT_STORAGE_CLASS = "gp3";
/** The EBS CSI driver's controller service account, which its IRSA role trusts. */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;
/** AWS's managed policy for the EBS CSI driver's controller. */
export const EBS_CSI_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy";

/**
 * The default StorageClass: encrypted gp3 volumes through the EBS CSI driver (the in-tree gp2 class
 * EKS ships is neither default since 1.30 nor encrypted), bound once a pod is scheduled so the volume
 * lands in the pod's zone.
 */
export function defaultStorageClassSpec() {
    return {
        metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
        volumeBindingMode: "WaitForFirstConsumer" as const,
        reclaimPolicy: "Delete" as const,
        allowVolumeExpansion: true,
    };
}
