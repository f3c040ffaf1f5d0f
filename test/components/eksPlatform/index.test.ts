import { strict as assert } from "assert";
import { EksPlatform, EksPlatformArgs, kubeconfigFor } from "../../../components/eksPlatform";
import { zoneSubnets } from "../../../platform/cidr";
import { runProgram } from "../../../tools/runtime/program";
import { PlannedResource } from "../../../tools/engine/resource";

const args = (overrides: Partial<EksPlatformArgs> = {}): EksPlatformArgs => ({
    clusterName: "trading-prod",
    version: "1.31",
    region: "ap-south-1",
    vpcCidr: "10.50.0.0/16",
    availabilityZones: ["ap-south-1a", "ap-south-1b", "ap-south-1c"],
    natGatewayPerZone: true,
    publicAccessCidrs: [],
    logTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    logRetentionDays: 365,
    nodeGroup: { instanceTypes: ["m6i.xlarge"], minSize: 3, desiredSize: 6, maxSize: 12, diskSizeGiB: 100, capacityType: "ON_DEMAND" },
    adminRoleArns: ["arn:aws:iam::444455556666:role/trading-platform-deploy-production"],
    namespace: "trading-prod",
    tags: { environment: "production" },
    ...overrides,
});

async function declare(a: EksPlatformArgs): Promise<PlannedResource[]> {
    const run = await runProgram({
        project: "trading-platform",
        stack: "production",
        config: {},
        secretKeys: [],
        program: () => {
            new EksPlatform(a.clusterName, a);
        },
    });
    if (run.error) throw run.error;
    return run.resources;
}
const ofType = (rs: PlannedResource[], type: string) => rs.filter(r => r.type === type);
const one = (rs: PlannedResource[], type: string) => {
    const found = ofType(rs, type);
    assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
    return found[0];
};

describe("component EksPlatform", () => {
    let resources: PlannedResource[];
    before(async () => {
        resources = await declare(args());
    });

    it("lays a VPC over every zone: a private and a public subnet each, and a NAT gateway per zone", () => {
        assert.deepEqual(one(resources, "aws:ec2/vpc:Vpc").inputs.cidrBlock, "10.50.0.0/16");
        const subnets = ofType(resources, "aws:ec2/subnet:Subnet").map(s => s.inputs as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
        const privateSubnets = subnets.filter(s => s.tags["kubernetes.io/role/internal-elb"] === "1");
        const publicSubnets = subnets.filter(s => s.tags["kubernetes.io/role/elb"] === "1");
        assert.deepEqual(
            privateSubnets.map(s => s.availabilityZone),
            ["ap-south-1a", "ap-south-1b", "ap-south-1c"],
        );
        assert.deepEqual(
            publicSubnets.map(s => s.cidrBlock),
            zoneSubnets("10.50.0.0/16", 3).public,
        );
        assert.ok(subnets.every(s => s.tags["kubernetes.io/cluster/trading-prod"] === "shared"));
        assert.equal(ofType(resources, "aws:ec2/natGateway:NatGateway").length, 3);
        assert.equal(ofType(resources, "aws:ec2/routeTableAssociation:RouteTableAssociation").length, 6);
    });

    it("shares one NAT gateway when asked to", async () => {
        const cheaper = await declare(args({ natGatewayPerZone: false, availabilityZones: ["ap-south-1a", "ap-south-1b"] }));
        assert.equal(ofType(cheaper, "aws:ec2/natGateway:NatGateway").length, 1);
    });

    it("keeps the API endpoint private, logs the control plane and encrypts secrets with a rotating KMS key", () => {
        const cluster = one(resources, "aws:eks/cluster:Cluster").inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        assert.equal(cluster.name, "trading-prod");
        assert.equal(cluster.version, "1.31");
        assert.equal(cluster.vpcConfig.endpointPrivateAccess, true);
        assert.equal(cluster.vpcConfig.endpointPublicAccess, false);
        assert.equal(cluster.vpcConfig.publicAccessCidrs, undefined);
        assert.deepEqual(cluster.enabledClusterLogTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        assert.deepEqual(cluster.encryptionConfig.resources, ["secrets"]);
        assert.deepEqual(cluster.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
        assert.equal(one(resources, "aws:kms/key:Key").inputs.enableKeyRotation, true);
        const logs = one(resources, "aws:cloudwatch/logGroup:LogGroup");
        assert.deepEqual([logs.inputs.name, logs.inputs.retentionInDays], ["/aws/eks/trading-prod/cluster", 365]);
        const clusterResource = one(resources, "aws:eks/cluster:Cluster");
        assert.ok(clusterResource.dependencies.includes(logs.urn), "the log group must exist before the cluster writes to it");
    });

    it("limits a public endpoint to the configured CIDRs", async () => {
        const limited = await declare(args({ publicAccessCidrs: ["203.0.113.0/24"] }));
        const vpcConfig = one(limited, "aws:eks/cluster:Cluster").inputs.vpcConfig as Record<string, unknown>;
        assert.equal(vpcConfig.endpointPublicAccess, true);
        assert.deepEqual(vpcConfig.publicAccessCidrs, ["203.0.113.0/24"]);
    });

    it("runs a managed node group in the private subnets, sized from config, leaving desiredSize to the autoscaler", () => {
        const nodes = one(resources, "aws:eks/nodeGroup:NodeGroup");
        assert.deepEqual(nodes.inputs.scalingConfig, { minSize: 3, desiredSize: 6, maxSize: 12 });
        assert.deepEqual(nodes.inputs.instanceTypes, ["m6i.xlarge"]);
        assert.equal(nodes.inputs.diskSize, 100);
        assert.deepEqual(nodes.options.ignoreChanges, ["scalingConfig.desiredSize"]);
        const policies = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(r => r.inputs.policyArn);
        assert.deepEqual(policies.sort(), [
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
            "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
        ]);
    });

    it("registers the OIDC provider for service-account roles and grants the deploy role admin by access entry", () => {
        assert.deepEqual(one(resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").inputs.clientIdLists, ["sts.amazonaws.com"]);
        assert.equal(
            one(resources, "aws:eks/accessEntry:AccessEntry").inputs.principalArn,
            "arn:aws:iam::444455556666:role/trading-platform-deploy-production",
        );
        assert.deepEqual(one(resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").inputs.accessScope, { type: "cluster" });
        assert.deepEqual(
            ofType(resources, "aws:eks/addon:Addon")
                .map(a => a.inputs.addonName)
                .sort(),
            ["aws-ebs-csi-driver", "coredns", "kube-proxy", "vpc-cni"],
        );
    });

    it("builds the Kubernetes provider from the cluster and creates the restricted namespace through it", () => {
        const provider = one(resources, "pulumi:providers:kubernetes");
        assert.equal(provider.inputs.namespace, "trading-prod");
        assert.deepEqual(
            provider.unknownPaths,
            ["kubeconfig"],
            "the kubeconfig comes from cluster outputs, unknown until the cluster exists",
        );
        const namespace = one(resources, "kubernetes:core/v1:Namespace");
        assert.equal(namespace.provider, provider.urn);
        const labels = (namespace.inputs.metadata as { labels: Record<string, string> }).labels;
        assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
        assert.equal(labels["elbv2.k8s.aws/pod-readiness-gate-inject"], "enabled");
    });

    it("writes a kubeconfig that authenticates through aws eks get-token, with no credential in it", () => {
        const config = JSON.parse(kubeconfigFor("trading-prod", "https://abc.eks.amazonaws.com", "Q0E=", "ap-south-1"));
        assert.deepEqual(config.users[0].user.exec.args, [
            "eks",
            "get-token",
            "--cluster-name",
            "trading-prod",
            "--region",
            "ap-south-1",
            "--output",
            "json",
        ]);
        assert.equal(config.clusters[0].cluster.server, "https://abc.eks.amazonaws.com");
        assert.deepEqual(Object.keys(config.users[0].user), ["exec"], "no token, password or client key: only the exec plugin");
    });
});
