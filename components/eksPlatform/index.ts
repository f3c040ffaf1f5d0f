import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { serviceAccountTrustPolicy } from "../clusterAddons";
import { withAliases } from "../lib/aliases";
import { DEFAULT_STORAGE_CLASS, defaultStorageClassSpec, EBS_CSI_POLICY_ARN, EBS_CSI_SERVICE_ACCOUNT } from "./storage";
import { zoneSubnets } from "../../platform/cidr";

export * from "./storage";

export interface EksPlatformArgs {
    clusterName: string;
    /** Kubernetes minor version, e.g. "1.31". */
    version: string;
    region: string;
    vpcCidr: string;
    /** Two or three zones of `region`. */
    availabilityZones: string[];
    /** One NAT gateway per zone, or a single one for the VPC. */
    natGatewayPerZone: boolean;
    /** CIDRs allowed to the public API endpoint; empty keeps the endpoint private. */
    publicAccessCidrs: string[];
    logTypes: string[];
    logRetentionDays: number;
    nodeGroup: {
        instanceTypes: string[];
        minSize: number;
        desiredSize: number;
        maxSize: number;
        diskSizeGiB: number;
        capacityType: "ON_DEMAND" | "SPOT";
    };
    /** IAM roles given cluster admin through access entries. */
    adminRoleArns: string[];
    /** IAM roles given read access, Secrets included (the drift check's refresh, a pull request's preview). */
    viewerRoleArns?: string[];
    /** The stack's namespace, created with the "restricted" Pod Security level. */
    namespace: string;
    tags: Record<string, string>;
}

const awsPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;

/**
 * Configuration of the EKS add-ons the platform installs, as `aws eks create-addon --configuration-values`
 * takes it. The VPC CNI enforces NetworkPolicy (its eBPF node agent, VPC CNI 1.14+); the node's own IP
 * stays allowed, so kubelet probes pass. Not the "strict" enforcing mode: it would cut off every pod no
 * policy selects yet, the add-ons' namespaces included.
 */
export const addonConfiguration: Readonly<Record<string, Record<string, unknown> | undefined>> = {
    "vpc-cni": { enableNetworkPolicy: "true" },
};

/** The cluster's DNS, as the CoreDNS add-on runs it: the egress every pod needs before any other. */
export const CLUSTER_DNS = { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" }, port: 53 } as const;
const assumeRoleBy = (service: string) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    });

/** A kubeconfig that authenticates through `aws eks get-token`: no long-lived credential in it. */
export function kubeconfigFor(clusterName: string, endpoint: string, caData: string, region: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": caData } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [
            {
                name: clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
                        interactiveMode: "Never",
                    },
                },
            },
        ],
    });
}

/**
 * The stack's Kubernetes platform: a VPC over the zones, the EKS cluster (private or CIDR-limited
 * endpoint, control-plane logs, KMS-encrypted secrets), a managed node group, the OIDC provider for
 * service-account roles, and the Kubernetes provider and namespace every workload of the stack uses.
 */
export class EksPlatform extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly clusterName: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcIssuerUrl: pulumi.Output<string>;
    /** The security group EKS gives the control plane, the managed nodes and (without per-pod groups) the pods. */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    /** Every Kubernetes resource of the stack goes through this provider. */
    readonly provider: k8s.Provider;
    readonly namespace: pulumi.Output<string>;
    /** What a workload with a persistent volume waits for: the EBS CSI driver and the default StorageClass. */
    readonly storage: pulumi.Resource[];

    constructor(name: string, args: EksPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:eks:EksPlatform", name, {}, withAliases(opts, "trading-platform:eks:Platform"));
        const parent = { parent: this };
        const tags = (extra: Record<string, string> = {}) => ({ ...args.tags, ...extra });
        const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };

        // Network: private subnets for nodes and pods, public ones for load balancers and NAT.
        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: args.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tags({ Name: `${name}-vpc` }) },
            parent,
        );
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags({ Name: `${name}-igw` }) }, parent);
        const cidrs = zoneSubnets(args.vpcCidr, args.availabilityZones.length);
        const publicSubnets = args.availabilityZones.map(
            (zone, i) =>
                new aws.ec2.Subnet(
                    `${name}-public-${zone}`,
                    {
                        vpcId: vpc.id,
                        availabilityZone: zone,
                        cidrBlock: cidrs.public[i],
                        mapPublicIpOnLaunch: false,
                        tags: tags({ Name: `${name}-public-${zone}`, "kubernetes.io/role/elb": "1", ...clusterTag }),
                    },
                    parent,
                ),
        );
        const privateSubnets = args.availabilityZones.map(
            (zone, i) =>
                new aws.ec2.Subnet(
                    `${name}-private-${zone}`,
                    {
                        vpcId: vpc.id,
                        availabilityZone: zone,
                        cidrBlock: cidrs.private[i],
                        tags: tags({ Name: `${name}-private-${zone}`, "kubernetes.io/role/internal-elb": "1", ...clusterTag }),
                    },
                    parent,
                ),
        );
        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public`,
            { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: tags({ Name: `${name}-public` }) },
            parent,
        );
        publicSubnets.forEach(
            (subnet, i) =>
                new aws.ec2.RouteTableAssociation(
                    `${name}-public-${args.availabilityZones[i]}`,
                    { subnetId: subnet.id, routeTableId: publicRoutes.id },
                    parent,
                ),
        );
        const natZones = args.natGatewayPerZone ? args.availabilityZones : args.availabilityZones.slice(0, 1);
        const natGateways = natZones.map((zone, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${zone}`, { domain: "vpc", tags: tags({ Name: `${name}-nat-${zone}` }) }, parent);
            return new aws.ec2.NatGateway(
                `${name}-nat-${zone}`,
                { allocationId: eip.id, subnetId: publicSubnets[i].id, tags: tags({ Name: `${name}-nat-${zone}` }) },
                { parent: this, dependsOn: [igw] },
            );
        });
        privateSubnets.forEach((subnet, i) => {
            const zone = args.availabilityZones[i];
            const routes = new aws.ec2.RouteTable(
                `${name}-private-${zone}`,
                {
                    vpcId: vpc.id,
                    routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].id }],
                    tags: tags({ Name: `${name}-private-${zone}` }),
                },
                parent,
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${zone}`, { subnetId: subnet.id, routeTableId: routes.id }, parent);
        });

        // Control plane.
        const secretsKey = new aws.kms.Key(
            `${name}-secrets`,
            {
                description: `Envelope encryption of Kubernetes secrets in ${args.clusterName}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                tags: tags(),
            },
            parent,
        );
        new aws.kms.Alias(`${name}-secrets`, { name: `alias/${args.clusterName}-secrets`, targetKeyId: secretsKey.keyId }, parent);
        // Created before the cluster so EKS writes into a group with our retention, not an unbounded one.
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            { name: `/aws/eks/${args.clusterName}/cluster`, retentionInDays: args.logRetentionDays, tags: tags() },
            parent,
        );
        const clusterRole = new aws.iam.Role(
            `${name}-cluster`,
            { assumeRolePolicy: assumeRoleBy("eks.amazonaws.com"), tags: tags() },
            parent,
        );
        const clusterPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-cluster`,
            { role: clusterRole.name, policyArn: awsPolicy("AmazonEKSClusterPolicy") },
            parent,
        );
        const cluster = new aws.eks.Cluster(
            `${name}-cluster`,
            {
                name: args.clusterName,
                version: args.version,
                roleArn: clusterRole.arn,
                vpcConfig: {
                    subnetIds: [...privateSubnets, ...publicSubnets].map(s => s.id),
                    endpointPrivateAccess: true,
                    endpointPublicAccess: args.publicAccessCidrs.length > 0,
                    publicAccessCidrs: args.publicAccessCidrs.length > 0 ? args.publicAccessCidrs : undefined,
                },
                enabledClusterLogTypes: args.logTypes,
                encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
                tags: tags(),
            },
            { parent: this, dependsOn: [logGroup, clusterPolicy] },
        );

        // Workers.
        const nodeRole = new aws.iam.Role(`${name}-nodes`, { assumeRolePolicy: assumeRoleBy("ec2.amazonaws.com"), tags: tags() }, parent);
        const nodePolicies = [
            "AmazonEKSWorkerNodePolicy",
            "AmazonEKS_CNI_Policy",
            "AmazonEC2ContainerRegistryReadOnly",
            "AmazonSSMManagedInstanceCore",
        ].map(
            policy =>
                new aws.iam.RolePolicyAttachment(`${name}-nodes-${policy}`, { role: nodeRole.name, policyArn: awsPolicy(policy) }, parent),
        );
        const nodeGroup = new aws.eks.NodeGroup(
            `${name}-nodes`,
            {
                clusterName: cluster.name,
                nodeRoleArn: nodeRole.arn,
                subnetIds: privateSubnets.map(s => s.id),
                instanceTypes: args.nodeGroup.instanceTypes,
                capacityType: args.nodeGroup.capacityType,
                diskSize: args.nodeGroup.diskSizeGiB,
                amiType: "AL2023_x86_64_STANDARD",
                scalingConfig: {
                    minSize: args.nodeGroup.minSize,
                    desiredSize: args.nodeGroup.desiredSize,
                    maxSize: args.nodeGroup.maxSize,
                },
                updateConfig: { maxUnavailable: 1 },
                labels: { "trading-platform/node-group": "general" },
                tags: tags(),
            },
            // The autoscaler moves desiredSize; an update must not fight it.
            { parent: this, dependsOn: nodePolicies, ignoreChanges: ["scalingConfig.desiredSize"] },
        );
        for (const addon of ["vpc-cni", "kube-proxy", "coredns"]) {
            new aws.eks.Addon(
                `${name}-${addon}`,
                {
                    clusterName: cluster.name,
                    addonName: addon,
                    resolveConflictsOnCreate: "OVERWRITE",
                    resolveConflictsOnUpdate: "PRESERVE",
                    configurationValues: addonConfiguration[addon] && JSON.stringify(addonConfiguration[addon]),
                    tags: tags(),
                },
                { parent: this, dependsOn: addon === "coredns" ? [nodeGroup] : [] },
            );
        }

        // Service-account roles: the cluster's OIDC issuer as an IAM identity provider.
        this.oidcIssuerUrl = cluster.identities.apply(ids => ids[0].oidcs?.[0]?.issuer ?? "");
        const oidc = new aws.iam.OpenIdConnectProvider(
            `${name}-oidc`,
            { url: this.oidcIssuerUrl, clientIdLists: ["sts.amazonaws.com"], tags: tags() },
            parent,
        );

        args.adminRoleArns.forEach((principalArn, i) => {
            const entry = new aws.eks.AccessEntry(
                `${name}-admin-${i}`,
                { clusterName: cluster.name, principalArn, type: "STANDARD", tags: tags() },
                parent,
            );
            new aws.eks.AccessPolicyAssociation(
                `${name}-admin-${i}`,
                {
                    clusterName: cluster.name,
                    principalArn,
                    policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                    accessScope: { type: "cluster" },
                },
                { parent: this, dependsOn: [entry] },
            );
        });

        (args.viewerRoleArns ?? []).forEach((principalArn, i) => {
            const entry = new aws.eks.AccessEntry(
                `${name}-viewer-${i}`,
                { clusterName: cluster.name, principalArn, type: "STANDARD", tags: tags() },
                parent,
            );
            new aws.eks.AccessPolicyAssociation(
                `${name}-viewer-${i}`,
                {
                    clusterName: cluster.name,
                    principalArn,
                    policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
                    accessScope: { type: "cluster" },
                },
                { parent: this, dependsOn: [entry] },
            );
        });

        this.kubeconfig = pulumi
            .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
            .apply(([clusterName, endpoint, ca]) => kubeconfigFor(clusterName, endpoint, ca.data ?? "", args.region));
        this.provider = new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true, namespace: args.namespace },
            { parent: this, dependsOn: [nodeGroup] },
        );
        const namespace = new k8s.core.v1.Namespace(
            args.namespace,
            {
                metadata: {
                    name: args.namespace,
                    labels: {
                        // The namespace refuses any pod that is not hardened, whatever applied it.
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/audit": "restricted",
                        "pod-security.kubernetes.io/warn": "restricted",
                        // The load balancer controller gates pod readiness on target health: no traffic to a pod the ALB has not registered.
                        "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
                    },
                },
            },
            { parent: this, provider: this.provider },
        );

        // Persistent volumes: the EBS CSI driver (its controller's own IRSA role) and the default encrypted gp3 class.
        const ebsCsiRole = new aws.iam.Role(
            `${name}-ebs-csi`,
            {
                assumeRolePolicy: pulumi
                    .all([oidc.arn, this.oidcIssuerUrl])
                    .apply(([arn, issuer]) =>
                        serviceAccountTrustPolicy(arn, issuer, EBS_CSI_SERVICE_ACCOUNT.namespace, EBS_CSI_SERVICE_ACCOUNT.name),
                    ),
                tags: tags(),
            },
            parent,
        );
        const ebsCsiPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-ebs-csi`,
            { role: ebsCsiRole.name, policyArn: EBS_CSI_POLICY_ARN },
            parent,
        );
        const ebsCsiDriver = new aws.eks.Addon(
            `${name}-aws-ebs-csi-driver`,
            {
                clusterName: cluster.name,
                addonName: "aws-ebs-csi-driver",
                serviceAccountRoleArn: ebsCsiRole.arn,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "PRESERVE",
                tags: tags(),
            },
            { parent: this, dependsOn: [nodeGroup, ebsCsiPolicy] },
        );
        const storageClass = new k8s.storage.v1.StorageClass(DEFAULT_STORAGE_CLASS, defaultStorageClassSpec(), {
            parent: this,
            provider: this.provider,
            dependsOn: [ebsCsiDriver],
        });
        this.storage = [ebsCsiDriver, storageClass];

        this.vpcId = vpc.id;
        this.privateSubnetIds = privateSubnets.map(s => s.id);
        this.publicSubnetIds = publicSubnets.map(s => s.id);
        this.clusterName = cluster.name;
        this.oidcProviderArn = oidc.arn;
        this.clusterSecurityGroupId = cluster.vpcConfig.apply(v => v.clusterSecurityGroupId ?? "");
        this.namespace = namespace.metadata.name;
        this.registerOutputs({
            vpcId: this.vpcId,
            clusterName: this.clusterName,
            oidcProviderArn: this.oidcProviderArn,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            namespace: this.namespace,
        });
    }
}
