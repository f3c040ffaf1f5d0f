import * as aws from "@pulumi/aws";
import { ReleaseEvidenceStore } from "../components/releaseEvidenceStore";
import { StackConfig } from "./config";
import { fromConfig } from "./configSource";

/**
 * The release-evidence store, in the stack whose config declares it (production: the promotion gate
 * reads it, and the application's CI publishes to it after staging's load test).
 */
export function declareReleaseEvidence(config: StackConfig, awsProvider: aws.Provider): ReleaseEvidenceStore | undefined {
    const store = config.releaseEvidence?.store;
    if (!store) return undefined;
    return fromConfig("releaseEvidence.store", new ReleaseEvidenceStore("release-evidence", { ...store, tags: { environment: config.stack } }, { providers: { aws: awsProvider } }));
}
