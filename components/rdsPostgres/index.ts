import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { POSTGRES_PORT } from "../../platform/data";
import { POSTGRES_LOG_EXPORTS, postgresParameterFamily, postgresProtection } from "./rules";

export * from "./rules";

export interface RdsPostgresArgs {
    /** RDS instance identifier, e.g. `trading-staging-pg`. */
    identifier: string;
    /** PostgreSQL major version (15 by default in config). */
    majorVersion: number;
    instanceClass: string;
    allocatedStorageGiB: number;
    /** Storage autoscaling ceiling. */
    maxAllocatedStorageGiB: number;
    /** Days of automated backups; point-in-time recovery reaches back this far. */
    backupRetentionDays: number;
    performanceInsightsRetentionDays: number;
    databaseName: string;
    masterUsername: string;
    /** Production: Multi-AZ, deletion protection and a final snapshot. */
    protected: boolean;
    vpcId: pulumi.Input<string>;
    /** Private subnets only: the instance has no route from the internet. */
    subnetIds: pulumi.Input<string>[];
    /** Security groups admitted on 5432 (the cluster's nodes and pods). */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** Restore drill: create the instance from another instance's backups at a point in time. */
    restore?: { sourceInstanceIdentifier: string; restoreTime?: string };
    tags: Record<string, string>;
}

/**
 * PostgreSQL on RDS: private, encrypted with its own customer-managed key, TLS forced by its parameter
 * group, the master password kept by RDS in Secrets Manager (never in config or outputs), automated
 * backups, Performance Insights and the PostgreSQL logs in CloudWatch.
 */
export class RdsPostgres extends pulumi.ComponentResource {
    readonly address: pulumi.Output<string>;
    readonly port: number;
    readonly securityGroupId: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret RDS keeps the master password in (an ARN, not the password). */
    readonly masterSecretArn: pulumi.Output<string | undefined>;

    constructor(name: string, args: RdsPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:data:RdsPostgres", name, {}, opts);
        const parent = { parent: this };
        const tags = { ...args.tags, Name: args.identifier };

        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `Storage, Performance Insights and master secret of ${args.identifier}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                tags,
            },
            parent,
        );
        new aws.kms.Alias(`${name}-key`, { name: `alias/${args.identifier}`, targetKeyId: key.keyId }, parent);

        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `PostgreSQL ${args.identifier}: the cluster's nodes and pods only`,
                ingress: [
                    {
                        description: "PostgreSQL from the cluster",
                        protocol: "tcp",
                        fromPort: POSTGRES_PORT,
                        toPort: POSTGRES_PORT,
                        securityGroups: args.clientSecurityGroupIds,
                    },
                ],
                tags,
            },
            parent,
        );
        const subnets = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { subnetIds: args.subnetIds, description: `Private subnets of ${args.identifier}`, tags },
            parent,
        );
        const parameters = new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family: postgresParameterFamily(args.majorVersion),
                description: `${args.identifier}: TLS only, slow statements logged`,
                parameters: [
                    { name: "rds.force_ssl", value: "1" },
                    { name: "log_min_duration_statement", value: "1000" },
                ],
                tags,
            },
            parent,
        );

        const protection = postgresProtection(args.protected, args.identifier);
        const instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                identifier: args.identifier,
                engine: "postgres",
                engineVersion: String(args.majorVersion),
                instanceClass: args.instanceClass,
                allocatedStorage: args.allocatedStorageGiB,
                maxAllocatedStorage: args.maxAllocatedStorageGiB,
                storageType: "gp3",
                storageEncrypted: true,
                kmsKeyId: key.arn,
                // A restored instance takes its database and user from the source's backups.
                dbName: args.restore ? undefined : args.databaseName,
                username: args.restore ? undefined : args.masterUsername,
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: key.arn,
                restoreToPointInTime: args.restore && {
                    sourceDbInstanceIdentifier: args.restore.sourceInstanceIdentifier,
                    ...(args.restore.restoreTime ? { restoreTime: args.restore.restoreTime } : { useLatestRestorableTime: true }),
                },
                dbSubnetGroupName: subnets.name,
                vpcSecurityGroupIds: [securityGroup.id],
                parameterGroupName: parameters.name,
                port: POSTGRES_PORT,
                publiclyAccessible: false,
                backupRetentionPeriod: args.backupRetentionDays,
                backupWindow: "19:00-20:00",
                maintenanceWindow: "sun:20:30-sun:21:30",
                copyTagsToSnapshot: true,
                ...protection,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: key.arn,
                performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays,
                enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
                autoMinorVersionUpgrade: true,
                caCertIdentifier: "rds-ca-rsa2048-g1",
                tags,
            },
            parent,
        );

        this.address = instance.address;
        this.port = POSTGRES_PORT;
        this.securityGroupId = securityGroup.id;
        this.kmsKeyArn = key.arn;
        this.masterSecretArn = instance.masterUserSecrets.apply(secrets => secrets?.[0]?.secretArn);
        this.registerOutputs({
            address: this.address,
            port: this.port,
            securityGroupId: this.securityGroupId,
            masterSecretArn: this.masterSecretArn,
        });
    }
}
