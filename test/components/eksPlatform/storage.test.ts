import { strict as assert } from "assert";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import {
    DEFAULT_STORAGE_CLASS,
    defaultStorageClassSpec,
    EBS_CSI_POLICY_ARN,
    EksPlatform,
    EksPlatformArgs,
} from "../../../components/eksPlatform";
import { PlannedResource } from "../../../tools/engine/resource";
import { declareIn, ofType, one } from "../../support/components";

const args: EksPlatformArgs = {
    clusterName: "trading-staging",
    version: "1.31",
    region: "ap-south-1",
    vpcCidr: "10.40.0.0/16",
    availabilityZones: ["ap-south-1a", "ap-south-1b"],
    natGatewayPerZone: false,
    publicAccessCidrs: [],
    logTypes: ["api"],
    logRetentionDays: 90,
    nodeGroup: { instanceTypes: ["m6i.large"], minSize: 2, desiredSize: 3, maxSize: 6, diskSizeGiB: 50, capacityType: "ON_DEMAND" },
    adminRoleArns: ["arn:aws:iam::111122223333:role/trading-platform-deploy-staging"],
    viewerRoleArns: [
        "arn:aws:iam::111122223333:role/trading-platform-drift-staging",
        "arn:aws:iam::111122223333:role/trading-platform-preview-staging",
    ],
    namespace: "trading-staging",
    tags: { environment: "staging" },
};

describe("component EksPlatform: persistent volumes and read-only access", () => {
    let resources: PlannedResource[];
    let platform: EksPlatform;
    before(async () => {
        resources = await declareIn("staging", () => void (platform = new EksPlatform(args.clusterName, args)));
    });
    const addon = (name: string) => {
        const found = ofType(resources, "aws:eks/addon:Addon").find(a => a.inputs.addonName === name);
        assert.ok(found, `no add-on ${name}`);
        return found;
    };

    it("installs the EBS CSI driver as an EKS add-on, after the nodes, with its own service-account role and AWS's policy", () => {
        const driver = addon("aws-ebs-csi-driver");
        const role = ofType(resources, "aws:iam/role:Role").find(r => r.urn.endsWith("::trading-staging-ebs-csi"));
        assert.ok(role);
        assert.ok(
            driver.dependencies.includes(role.urn) || driver.propertyDependencies.serviceAccountRoleArn?.includes(role.urn),
            "the add-on takes the role's ARN",
        );
        assert.ok(
            driver.dependencies.includes(ofType(resources, "aws:eks/nodeGroup:NodeGroup")[0].urn),
            "the controller needs nodes to become ACTIVE",
        );
        const attachment = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").find(a =>
            a.urn.endsWith("::trading-staging-ebs-csi"),
        );
        assert.equal(attachment?.inputs.policyArn, EBS_CSI_POLICY_ARN);
        assert.ok(driver.dependencies.includes(attachment!.urn));
    });

    it("declares the default StorageClass: encrypted gp3 through the CSI driver, bound when a pod is scheduled", () => {
        const storageClass = one(resources, "kubernetes:storage.k8s.io/v1:StorageClass");
        assert.deepEqual(storageClass.inputs.metadata, {
            name: DEFAULT_STORAGE_CLASS,
            annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
        });
        assert.equal(storageClass.inputs.provisioner, "ebs.csi.aws.com");
        assert.deepEqual(storageClass.inputs.parameters, { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" });
        assert.equal(storageClass.inputs.volumeBindingMode, "WaitForFirstConsumer");
        assert.ok(storageClass.dependencies.includes(addon("aws-ebs-csi-driver").urn));
        assert.doesNotThrow(() => new StorageClass(defaultStorageClassSpec()).validate());
        // What a workload with a volume waits for.
        assert.equal(platform.storage.length, 2);
    });

    it("gives the read-only roles view access, Secrets included, and nothing more", () => {
        const associations = ofType(resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map(a => [
            a.inputs.principalArn,
            a.inputs.policyArn,
        ]);
        assert.deepEqual(associations, [
            [args.adminRoleArns[0], "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"],
            [args.viewerRoleArns![0], "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"],
            [args.viewerRoleArns![1], "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy"],
        ]);
    });
});
