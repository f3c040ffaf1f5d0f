import * as aws from "@pulumi/aws";
import { ReleaseEvidenceStore } from "../components/releaseEvidenceStore";
import { StackConfig } from "./config";
import { ciRoleArns } from "./config/ci";
import { fromConfig } from "./configSource";

/**
 * The release-evidence store, in the stack whose config declares it (production: the promotion gate
 * reads it, and the application's CI publishes to it after staging's load test).
 */
export function declareReleaseEvidence(config: StackConfig, awsProvider: aws.Provider): ReleaseEvidenceStore | undefined {
    const store = config.releaseEvidence?.store;
    if (!store) return undefined;
    // The promote job (the deploy role) keeps each promotion's record beside the evidence it was judged on.
    const records = { prefix: store.recordsPrefix, writerRoleArns: [ciRoleArns(config.project, config.stack, config.ci).deploy] };
    return fromConfig(
        "releaseEvidence.store",
        new ReleaseEvidenceStore(
            "release-evidence",
            { ...store, records, tags: { environment: config.stack } },
            { providers: { aws: awsProvider } },
        ),
    );
}
