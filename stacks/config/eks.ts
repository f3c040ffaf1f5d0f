import { z } from "zod";
import { ConfigProblem } from "./errors";
import { EnvironmentName, environments } from "../../platform";
import { cidr, dnsLabel } from "./primitives";

export const controlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export const eksSchema = z
    .strictObject({
        region: z
            .string()
            .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "an AWS region such as ap-south-1" })
            .meta({ title: "AWS region", description: "Region of the cluster (and the AWS provider)." }),
        clusterName: dnsLabel.describe("EKS cluster name."),
        version: z
            .string({ error: 'a Kubernetes version as a quoted string, e.g. "1.31"' })
            .regex(/^1\.(2[89]|3[0-9])$/, { error: 'a Kubernetes version as a quoted string, e.g. "1.31"' })
            .meta({
                title: 'quoted string `"1.NN"`',
                description: "Kubernetes minor version. Quote it in YAML: `1.30` unquoted is the number 1.3.",
            }),
        vpcCidr: cidr.describe("VPC block, /16 to /20; private subnets take the first quarters, public ones small blocks of the last."),
        availabilityZones: z
            .array(z.string())
            .min(2)
            .max(3)
            .describe("Zones of `region`, distinct; subnets, nodes and pods spread over them."),
        natGatewayPerZone: z
            .boolean()
            .default(true)
            .describe("One NAT gateway per zone (no cross-zone dependency), or one for the VPC (cheaper)."),
        publicAccessCidrs: z
            .array(cidr)
            .default([])
            .describe("Who may reach the public API endpoint; empty means the endpoint is private. `/0` is refused."),
        logTypes: z
            .array(z.enum(controlPlaneLogTypes))
            .default([...controlPlaneLogTypes])
            .describe("Control-plane log types sent to CloudWatch."),
        logRetentionDays: z.number().int().min(1).max(3653).default(90).describe("Retention of the control-plane log group, in days."),
        nodeGroup: z.strictObject({
            instanceTypes: z.array(z.string()).min(1).describe("Managed node group instance types."),
            minSize: z.number().int().min(1).describe("Fewest nodes; `minSize` ≤ `desiredSize` ≤ `maxSize`."),
            desiredSize: z.number().int().min(1).describe("Nodes at creation; later changes by the cluster autoscaler are left alone."),
            maxSize: z.number().int().min(1).describe("Most nodes."),
            diskSizeGiB: z.number().int().min(20).default(50).describe("Node disk, in GiB."),
            capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND").describe("On-demand or spot instances."),
        }),
        adminRoleArns: z
            .array(
                z
                    .string()
                    .regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/, { error: "an IAM role ARN" })
                    .meta({ title: "IAM role ARN" }),
            )
            .default([])
            .describe(
                "IAM roles granted cluster admin through EKS access entries; must include the CI deploy role and name no role of another account (`ci`).",
            ),
        namespace: dnsLabel.describe("The stack's Kubernetes namespace, where every workload goes; must end in `-staging` or `-prod`."),
    })
    .describe("The stack's EKS cluster, its network and its node group.");
export type EksConfig = z.infer<typeof eksSchema>;

export function eksRules(key: string, environment: EnvironmentName, eks: EksConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const { minSize, desiredSize, maxSize } = eks.nodeGroup;
    if (!(minSize <= desiredSize && desiredSize <= maxSize)) {
        problems.push({
            key: `${key}.nodeGroup`,
            expected: "minSize <= desiredSize <= maxSize",
            found: `minSize ${minSize}, desiredSize ${desiredSize}, maxSize ${maxSize}`,
        });
    }
    eks.availabilityZones.forEach((zone, i) => {
        if (!zone.startsWith(eks.region)) {
            problems.push({ key: `${key}.availabilityZones.${i}`, expected: `a zone of ${eks.region}`, found: JSON.stringify(zone) });
        }
    });
    if (new Set(eks.availabilityZones).size !== eks.availabilityZones.length) {
        problems.push({ key: `${key}.availabilityZones`, expected: "distinct zones", found: JSON.stringify(eks.availabilityZones) });
    }
    eks.publicAccessCidrs.forEach((block, i) => {
        if (block.endsWith("/0")) {
            problems.push({
                key: `${key}.publicAccessCidrs.${i}`,
                expected: "a CIDR limited to known networks (leave the list empty for a private endpoint)",
                found: JSON.stringify(block),
            });
        }
    });
    const prefix = Number(eks.vpcCidr.split("/")[1]);
    if (prefix < 16 || prefix > 20) {
        problems.push({
            key: `${key}.vpcCidr`,
            expected: "a block from /16 to /20 (room for pods in every zone)",
            found: JSON.stringify(eks.vpcCidr),
        });
    }
    const suffix = environments[environment].namespaceSuffix;
    if (!eks.namespace.endsWith(suffix)) {
        problems.push({
            key: `${key}.namespace`,
            expected: `a namespace ending in "${suffix}" for the ${environment} stack`,
            found: JSON.stringify(eks.namespace),
        });
    }
    return problems;
}
