import * as elasticache from "@pulumi/aws/elasticache";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSetOrComputed } from "../lib/data";
import { withMetadata } from "../lib/metadata";

export const redisTlsInTransit: ResourceValidationPolicy = {
    name: "redis-tls-in-transit",
    description: "ElastiCache Redis accepts only TLS connections and requires an AUTH token.",
    enforcementLevel: "mandatory",
    ...withMetadata({ severity: "high", topics: ["encryption", "aws"] }),
    validateResource: validateResourceOfType(elasticache.ReplicationGroup, (group, args, reportViolation) => {
        const who = `ElastiCache replication group "${group.replicationGroupId ?? args.name}"`;
        if (group.transitEncryptionEnabled !== true) {
            reportViolation(
                `${who} has transitEncryptionEnabled ${String(group.transitEncryptionEnabled ?? "unset")}: commands and the AUTH token cross the VPC in clear. Fix: transitEncryptionEnabled: true.`,
            );
        } else if (group.transitEncryptionMode === "preferred") {
            reportViolation(
                `${who} still accepts unencrypted connections (transitEncryptionMode "preferred"). Fix: transitEncryptionMode "required" (or leave it unset).`,
            );
        }
        if (!isSetOrComputed(() => group.authToken)) {
            reportViolation(
                `${who} has no AUTH token, so anything that reaches the port may connect. Fix: authToken from the secret config key redisAuthToken.`,
            );
        }
    }),
};
