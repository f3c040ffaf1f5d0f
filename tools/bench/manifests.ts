// A YAML stream of hardened Deployments for the benchmark, as `helm template` would print them.
import { stringify } from "yaml";
import { generatedResources } from "./generated";

/** `count` Deployments in one multi-document YAML stream (about 1 kB each), after their namespace's default-deny NetworkPolicy. */
export function deploymentStream(count: number): string {
    // Every third generated resource is a hardened Deployment: take its body and give each a name.
    const [template] = generatedResources(3, "staging").filter(r => r.type === "kubernetes:apps/v1:Deployment");
    const body = stringify({ ...template.inputs, metadata: { name: "NAME", namespace: "trading-staging" } });
    // The namespace's default deny first, as a chart that ships its own NetworkPolicy renders it.
    const [deny] = generatedResources(1, "staging");
    const documents: string[] = [stringify(deny.inputs)];
    for (let i = 0; i < count; i++) documents.push(body.replace("NAME", `svc-${i}`));
    return documents.join("---\n");
}
