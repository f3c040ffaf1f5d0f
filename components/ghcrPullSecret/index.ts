import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface GhcrPullSecretArgs {
    /** Namespace the pods that pull from the registry run in. */
    namespace: pulumi.Input<string>;
    /** Registry host, e.g. `ghcr.io`. */
    server: string;
    /** Account the token belongs to. */
    username: string;
    /** Read-only package token; stays a Pulumi secret in inputs and state. */
    token: pulumi.Input<string>;
}

/** The `.dockerconfigjson` a kubelet reads: one auth entry for the registry (pure, so it can be tested). */
export function dockerConfigJson(server: string, username: string, token: string): string {
    return JSON.stringify({ auths: { [server]: { username, auth: Buffer.from(`${username}:${token}`).toString("base64") } } });
}

/**
 * The image pull secret pods use for private GHCR packages: a `kubernetes.io/dockerconfigjson` Secret
 * whose content is a Pulumi secret, so the token never reaches state or a preview in plain text.
 */
export class GhcrPullSecret extends pulumi.ComponentResource {
    /** Name of the Secret, for a pod's `imagePullSecrets`. */
    readonly secretName: pulumi.Output<string>;

    constructor(name: string, args: GhcrPullSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trading-platform:k8s:GhcrPullSecret", name, {}, opts);
        const secret = new k8s.core.v1.Secret(
            name,
            {
                metadata: { name, namespace: args.namespace },
                type: "kubernetes.io/dockerconfigjson",
                stringData: {
                    ".dockerconfigjson": pulumi.secret(
                        pulumi.output(args.token).apply(token => dockerConfigJson(args.server, args.username, token)),
                    ),
                },
            },
            // Declared at the stack's top level before this component existed: the alias keeps the same Secret.
            { parent: this, aliases: [pulumi.createUrn(name, "kubernetes:core/v1:Secret")] },
        );
        this.secretName = secret.metadata.name;
        this.registerOutputs({ secretName: this.secretName });
    }
}
