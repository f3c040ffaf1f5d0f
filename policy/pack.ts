import { EnforcementLevel, Policies } from "@pulumi/policy";
import { kubernetesNoDefaultNamespace } from "./access/kubernetesNoDefaultNamespace";
import { kubernetesRbacBindings } from "./access/kubernetesRbacBindings";
import { kubernetesRbacRules } from "./access/kubernetesRbacRules";
import { kubernetesServiceAccountToken } from "./access/kubernetesServiceAccountToken";
import { dockerContainerReadOnly } from "./containers/dockerContainerReadOnly";
import { kubernetesDropAllCapabilities } from "./containers/kubernetesDropAllCapabilities";
import { kubernetesHostNamespaces } from "./containers/kubernetesHostNamespaces";
import { kubernetesHostPathVolumes } from "./containers/kubernetesHostPathVolumes";
import { kubernetesHostPorts } from "./containers/kubernetesHostPorts";
import { kubernetesKernelSettings } from "./containers/kubernetesKernelSettings";
import { kubernetesNoPrivilegeEscalation } from "./containers/kubernetesNoPrivilegeEscalation";
import { kubernetesProbes } from "./containers/kubernetesProbes";
import { kubernetesReadOnlyRootFilesystem } from "./containers/kubernetesReadOnlyRootFilesystem";
import { kubernetesResourceRequestsLimits } from "./containers/kubernetesResourceRequestsLimits";
import { kubernetesRootGroup } from "./containers/kubernetesRootGroup";
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
import { githubOidcRoleTrust } from "./identity/githubOidcRoleTrust";
import { imageProvenance } from "./images/imageProvenance";
import { kubernetesExposedServices } from "./network/kubernetesExposedServices";
import { kubernetesNetworkPolicyCoverage } from "./network/kubernetesNetworkPolicyCoverage";
import { dockerHostTradingSegregation } from "./secrets/dockerHostTradingSegregation";
import { githubProductionCredentialIsolation } from "./secrets/githubProductionCredentialIsolation";
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
    // Pod Security baseline: nothing of the node's reaches a pod
    kubernetesHostNamespaces,
    kubernetesHostPathVolumes,
    kubernetesHostPorts,
    kubernetesKernelSettings,
    kubernetesRootGroup,
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
    githubProductionCredentialIsolation,
    // Access: RBAC, service-account tokens, namespaces, CI identities
    kubernetesRbacBindings,
    kubernetesRbacRules,
    kubernetesServiceAccountToken,
    kubernetesNoDefaultNamespace,
    githubOidcRoleTrust,
    // Network: what a workload accepts and opens
    kubernetesExposedServices,
    kubernetesNetworkPolicyCoverage,
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
