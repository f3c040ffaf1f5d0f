import { z } from "zod";
import { ConfigProblem } from "./errors";
import { EnvironmentName, environments } from "../../platform";
import { cidr, dnsLabel } from "./primitives";

export const controlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export const eksSchema = z.strictObject({
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "an AWS region such as ap-south-1" }),
    clusterName: dnsLabel,
    /** Kubernetes minor version. Quote it in YAML: 1.30 unquoted is the number 1.3. */
    version: z
        .string({ error: 'a Kubernetes version as a quoted string, e.g. "1.31"' })
        .regex(/^1\.(2[89]|3[0-9])$/, { error: 'a Kubernetes version as a quoted string, e.g. "1.31"' }),
    vpcCidr: cidr,
    /** At least two zones; subnets, nodes and pods spread over them. */
    availabilityZones: z.array(z.string()).min(2).max(3),
    /** One NAT gateway per zone (no cross-zone dependency) or one for the VPC (cheaper). */
    natGatewayPerZone: z.boolean().default(true),
    /** CIDRs allowed to reach the public API endpoint; empty means the endpoint is private only. */
    publicAccessCidrs: z.array(cidr).default([]),
    logTypes: z.array(z.enum(controlPlaneLogTypes)).default([...controlPlaneLogTypes]),
    logRetentionDays: z.number().int().min(1).max(3653).default(90),
    nodeGroup: z.strictObject({
        instanceTypes: z.array(z.string()).min(1),
        minSize: z.number().int().min(1),
        desiredSize: z.number().int().min(1),
        maxSize: z.number().int().min(1),
        diskSizeGiB: z.number().int().min(20).default(50),
        capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
    }),
    /** IAM roles granted cluster admin through EKS access entries (e.g. the deploy role CI assumes). */
    adminRoleArns: z.array(z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/, { error: "an IAM role ARN" })).default([]),
    /** The stack's Kubernetes namespace; every workload goes there. */
    namespace: dnsLabel,
});
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
