// How a trading service's pods get their secrets: the Vault agent injector renders each one as a file
// holding the bare value, and only the agent holds a token to log in to Vault with.

/** Where the Vault agent renders secrets inside the pod. */
export const vaultSecretsDir = "/vault/secrets";

/** The projected service-account token only the injected agent mounts (the app's containers mount none). */
export const VAULT_TOKEN_VOLUME = "vault-token";

/** The field of a Vault secret that holds its value: `{"value": "..."}` at each path. */
export const VAULT_VALUE_FIELD = "value";

/**
 * The agent template that renders a secret's bare value. A KV version 2 path (`<mount>/data/...`)
 * nests the fields under `.Data.data`; version 1 keeps them under `.Data`.
 */
export function vaultTemplate(path: string): string {
    const fields = /^[^/]+\/data\//.test(path) ? ".Data.data" : ".Data";
    return `{{- with secret "${path}" -}}{{ ${fields}.${VAULT_VALUE_FIELD} }}{{- end -}}`;
}

/** The pod annotations that have the agent render `secrets` (file name to Vault path) as role `role`; none when there is no secret. */
export function vaultAnnotations(role: string, secrets: Record<string, string>): Record<string, string> {
    const files = Object.entries(secrets);
    if (files.length === 0) return {};
    return {
        "vault.hashicorp.com/agent-inject": "true",
        "vault.hashicorp.com/role": role,
        // The pod mounts no token of its own (automountServiceAccountToken: false); the agent logs in with this one.
        "vault.hashicorp.com/agent-service-account-token-volume-name": VAULT_TOKEN_VOLUME,
        ...Object.fromEntries(
            files.flatMap(([file, path]) => [
                [`vault.hashicorp.com/agent-inject-secret-${file}`, path],
                [`vault.hashicorp.com/agent-inject-template-${file}`, vaultTemplate(path)],
            ]),
        ),
    };
}

/** The projected token volume the agent logs in with: short-lived, rotated by the kubelet. */
export function vaultTokenVolume() {
    return { name: VAULT_TOKEN_VOLUME, projected: { sources: [{ serviceAccountToken: { path: "token", expirationSeconds: 3600 } }] } };
}
