import { EnforcementLevel, Policies } from "@pulumi/policy";
import { dockerContainerReadOnly } from "./containers/dockerContainerReadOnly";
import { kubernetesDropAllCapabilities } from "./containers/kubernetesDropAllCapabilities";
import { kubernetesNoPrivilegeEscalation } from "./containers/kubernetesNoPrivilegeEscalation";
import { kubernetesProbes } from "./containers/kubernetesProbes";
import { kubernetesReadOnlyRootFilesystem } from "./containers/kubernetesReadOnlyRootFilesystem";
import { kubernetesResourceRequestsLimits } from "./containers/kubernetesResourceRequestsLimits";
import { kubernetesRunAsNonRoot } from "./containers/kubernetesRunAsNonRoot";
import { kubernetesSeccompRuntimeDefault } from "./containers/kubernetesSeccompRuntimeDefault";
import { kubernetesZeroDowntimeRollout } from "./containers/kubernetesZeroDowntimeRollout";
import { kubernetesZoneSpread } from "./containers/kubernetesZoneSpread";
import { dataBackupsRetained } from "./data/dataBackupsRetained";
import { dataEncryptionAtRest } from "./data/dataEncryptionAtRest";
import { dataNoPublicAccess } from "./data/dataNoPublicAccess";
import { productionDeletionProtection } from "./data/productionDeletionProtection";
import { redisTlsInTransit } from "./data/redisTlsInTransit";
import { s3BucketGuardrails } from "./data/s3BucketGuardrails";
import { albIngressHttpOnly } from "./delivery/albIngressHttpOnly";
import { blueGreenTrafficInvariants } from "./delivery/blueGreenTrafficInvariants";
import { branchProtectionStandard } from "./delivery/branchProtectionStandard";
import { productionDeploymentGates } from "./delivery/productionDeploymentGates";
import { productionDeploymentWindow } from "./delivery/productionDeploymentWindow";
import { releaseTagProtection } from "./delivery/releaseTagProtection";
import { imageProvenance } from "./images/imageProvenance";
import { dockerHostTradingSegregation } from "./secrets/dockerHostTradingSegregation";
import { githubSecretSegregation } from "./secrets/githubSecretSegregation";
import { githubStagingPaperVariables } from "./secrets/githubStagingPaperVariables";
import { kubernetesTradingSegregation } from "./secrets/kubernetesTradingSegregation";
import { noPlaintextCredentials } from "./secrets/noPlaintextCredentials";

// The pack, assembled in one place. `index.ts` serves it to the engine; tests and the offline tools
// import this module instead, because constructing a PolicyPack starts a gRPC server.

export const packName = "trading-platform";
/** Applies to every policy that sets no level of its own and is not configured otherwise. */
export const packEnforcementLevel: EnforcementLevel = "mandatory";

export const policies: Policies = [
    // Containers: read-only, then the rest of workload hardening
    dockerContainerReadOnly,
    kubernetesReadOnlyRootFilesystem,
    kubernetesRunAsNonRoot,
    kubernetesNoPrivilegeEscalation,
    kubernetesDropAllCapabilities,
    kubernetesSeccompRuntimeDefault,
    kubernetesResourceRequestsLimits,
    kubernetesProbes,
    kubernetesZoneSpread,
    kubernetesZeroDowntimeRollout,
    // Secrets: no plaintext credential, and staging never holds or reaches live trading
    noPlaintextCredentials,
    dockerHostTradingSegregation,
    kubernetesTradingSegregation,
    githubSecretSegregation,
    githubStagingPaperVariables,
    // Images
    imageProvenance,
    // Delivery: traffic, GitHub gates, deployment windows
    blueGreenTrafficInvariants,
    productionDeploymentGates,
    releaseTagProtection,
    branchProtectionStandard,
    productionDeploymentWindow,
    albIngressHttpOnly,
    // Data services: encryption, exposure, backups, protection
    dataEncryptionAtRest,
    s3BucketGuardrails,
    dataNoPublicAccess,
    dataBackupsRetained,
    productionDeletionProtection,
    redisTlsInTransit,
];
