import { EnforcementLevel, Policies } from "@pulumi/policy";
import { dockerContainerReadOnly } from "./containers/dockerContainerReadOnly";
import { kubernetesReadOnlyRootFilesystem } from "./containers/kubernetesReadOnlyRootFilesystem";
import { blueGreenTrafficInvariants } from "./delivery/blueGreenTrafficInvariants";
import { productionDeploymentWindow } from "./delivery/productionDeploymentWindow";
import { imageProvenance } from "./images/imageProvenance";
import { dockerHostTradingSegregation } from "./secrets/dockerHostTradingSegregation";
import { kubernetesTradingSegregation } from "./secrets/kubernetesTradingSegregation";
import { noPlaintextCredentials } from "./secrets/noPlaintextCredentials";

// The pack, assembled in one place. `index.ts` serves it to the engine; tests and the offline tools
// import this module instead, because constructing a PolicyPack starts a gRPC server.

export const packName = "trading-platform";
/** Applies to every policy that sets no level of its own and is not configured otherwise. */
export const packEnforcementLevel: EnforcementLevel = "mandatory";

export const policies: Policies = [
    // Containers
    dockerContainerReadOnly,
    kubernetesReadOnlyRootFilesystem,
    // Secrets
    noPlaintextCredentials,
    dockerHostTradingSegregation,
    kubernetesTradingSegregation,
    // Images
    imageProvenance,
    // Delivery
    blueGreenTrafficInvariants,
    productionDeploymentWindow,
];
