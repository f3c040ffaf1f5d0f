// The program's entry: validate the stack's config (nothing is registered if it is invalid), then
// wire the components. Pulumi.yaml runs this file through package.json's "main".
import { loadStackConfig } from "./config";
import { declareDockerHost } from "./dockerHost";

const config = loadStackConfig();
const dockerHost = declareDockerHost(config);

export const dockerNamespace = config.dockerHost.namespace;
export const dockerContainers = dockerHost.containerNames;
