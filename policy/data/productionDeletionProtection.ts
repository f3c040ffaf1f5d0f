import * as rds from "@pulumi/aws/rds";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { EnvironmentStacks, environmentOf, environmentStacksSchema } from "../lib/stacks";
import { withMetadata } from "../lib/metadata";

export const productionDeletionProtection: ResourceValidationPolicy = {
    name: "production-deletion-protection",
    description: "Production RDS instances have deletion protection on and take a final snapshot when deleted.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["backup", "change-management", "aws"] }),
    configSchema: { properties: { ...environmentStacksSchema } },
    validateResource: validateResourceOfType(rds.Instance, (db, args, reportViolation) => {
        if (environmentOf(args.urn, args.getConfig<EnvironmentStacks>()) !== "production") return;
        const who = `Production RDS instance "${db.identifier ?? args.name}"`;
        if (db.deletionProtection !== true) {
            reportViolation(
                `${who} has deletionProtection ${String(db.deletionProtection ?? "unset")}: one mistaken update or destroy drops the database. Fix: deletionProtection: true (the RdsPostgres component sets it in production).`,
            );
        }
        if (db.skipFinalSnapshot !== false || !db.finalSnapshotIdentifier) {
            reportViolation(
                `${who} would be deleted without a final snapshot. Fix: skipFinalSnapshot: false and a finalSnapshotIdentifier.`,
            );
        }
    }),
};
