import * as ec2 from "@pulumi/aws/ec2";
import * as rds from "@pulumi/aws/rds";
import * as vpc from "@pulumi/aws/vpc";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { IngressRule, openDataPorts } from "../lib/data";
import { withMetadata } from "../lib/metadata";

const fix = "Fix: admit the cluster's security group (securityGroups / referencedSecurityGroupId), never 0.0.0.0/0 or ::/0.";

export const dataNoPublicAccess: ResourceValidationPolicy = {
    name: "data-no-public-access",
    description:
        "Databases and caches are never publicly accessible: RDS instances are not public and no security group opens PostgreSQL or Redis ports to 0.0.0.0/0 or ::/0.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "critical", topics: ["network-exposure", "aws"] }),
    validateResource: [
        validateResourceOfType(rds.Instance, (db, args, reportViolation) => {
            if (db.publiclyAccessible === true) {
                reportViolation(
                    `RDS instance "${db.identifier ?? args.name}" is publiclyAccessible, so it gets a public DNS name and address. Fix: publiclyAccessible: false in private subnets.`,
                );
            }
        }),
        validateResourceOfType(ec2.SecurityGroup, (group, args, reportViolation) => {
            for (const [i, rule] of (group.ingress ?? []).entries()) {
                const open = openDataPorts(rule as IngressRule);
                if (open.length > 0) {
                    reportViolation(
                        `Security group "${group.name ?? args.name}" ingress ${i} opens ${open.join(", ")} to the internet. ${fix}`,
                    );
                }
            }
        }),
        validateResourceOfType(ec2.SecurityGroupRule, (rule, args, reportViolation) => {
            const open = rule.type === "ingress" ? openDataPorts(rule as IngressRule) : [];
            if (open.length > 0) reportViolation(`Security group rule "${args.name}" opens ${open.join(", ")} to the internet. ${fix}`);
        }),
        validateResourceOfType(vpc.SecurityGroupIngressRule, (rule, args, reportViolation) => {
            const open = openDataPorts(rule as IngressRule);
            if (open.length > 0) {
                reportViolation(`Security group ingress rule "${args.name}" opens ${open.join(", ")} to the internet. ${fix}`);
            }
        }),
    ],
};
