// `npm run bench:credentials`: how many of the corpus' secrets the pack finds under a name that says
// nothing, and how many harmless values it flags, beside secretlint's recommended preset on the same
// values in the same place (a Deployment's env var SETTING_A, as YAML). secretlint is not a dependency:
// install it for the measurement with
//   npm install --no-save @secretlint/core@13.0.7 @secretlint/secretlint-rule-preset-recommend@13.0.7
// and without it the pack's figures alone are printed. A measurement, not a test: it asserts nothing.
import { plaintextCredentialReason } from "../../policy/secrets/noPlaintextCredentials";
import { CorpusEntry, harmless, secrets } from "./credentialCorpus";

type Detector = (value: string) => Promise<boolean>;

/** The pack's rule, as it judges an env var whose name says nothing. */
const pack: Detector = async value => plaintextCredentialReason("SETTING_A", value) !== undefined;

/** The manifest secretlint reads: the value in the same env var, a block scalar when it spans lines. */
function manifest(value: string): string {
    const header =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: SETTING_A\n";
    if (!value.includes("\n")) return `${header}              value: ${JSON.stringify(value)}\n`;
    return `${header}              value: |\n${value
        .split("\n")
        .map(line => `                ${line}`)
        .join("\n")}\n`;
}

async function secretlint(): Promise<Detector | undefined> {
    // An ES module only package: imported for real, not through the CommonJS transpiler.
    const load = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
        const core = await load("@secretlint/core");
        const preset = await load("@secretlint/secretlint-rule-preset-recommend");
        const config = { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: preset.creator }] };
        return async value => {
            const result = await core.lintSource({
                source: { filePath: "/manifest.yaml", content: manifest(value), contentType: "text" },
                options: { config },
            });
            return result.messages.length > 0;
        };
    } catch {
        return undefined;
    }
}

async function measure(name: string, detect: Detector): Promise<void> {
    const flagged = async (entries: CorpusEntry[]) => {
        const hits: CorpusEntry[] = [];
        for (const entry of entries) if (await detect(entry.value)) hits.push(entry);
        return hits;
    };
    const start = process.cpuUsage();
    const found = await flagged(secrets);
    const wrong = await flagged(harmless);
    const cpu = process.cpuUsage(start);
    const perValue = ((cpu.user + cpu.system) / (secrets.length + harmless.length)).toFixed(1);
    console.log(
        `${name}: ${found.length}/${secrets.length} secrets found (recall ${((100 * found.length) / secrets.length).toFixed(1)} %), ` +
            `${wrong.length}/${harmless.length} harmless values flagged; ${perValue} µs CPU per value`,
    );
    for (const miss of secrets.filter(s => !found.includes(s))) console.log(`    missed: ${miss.source}`);
    for (const hit of wrong) console.log(`    flagged: ${hit.source}: ${JSON.stringify(hit.value.slice(0, 60))}`);
}

async function main(): Promise<void> {
    console.log(
        `Corpus: ${secrets.length} secrets in secretlint's and gitleaks' documented formats, ${harmless.length} harmless values; each under the env var SETTING_A.`,
    );
    await measure("the pack (no-plaintext-credentials)", pack);
    const other = await secretlint();
    if (other) await measure("secretlint 13 (preset-recommend)", other);
    else {
        console.log(
            "secretlint is not installed: npm install --no-save @secretlint/core@13.0.7 @secretlint/secretlint-rule-preset-recommend@13.0.7",
        );
    }
}

main().catch(e => {
    console.error(e);
    process.exitCode = 1;
});
