// The linter of the whole repository (the root project and the policy/ workspace): ESLint's and
// typescript-eslint's recommended rules, without type information (docs/architecture.md, "Style
// checks", says why and what it costs). Formatting is prettier's alone (prettier.config.mjs).
import eslint from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
    // policy/platform/ is a byte-identical copy of platform/ (npm run sync-platform), linted there.
    globalIgnores(["policy/platform/", "reports/", "app/"]),
    {
        linterOptions: {
            // A disable comment that silences nothing is an error: each one names a rule that fires there.
            reportUnusedDisableDirectives: "error",
            reportUnusedInlineConfigs: "error",
        },
    },
    eslint.configs.recommended,
    {
        // A body that spans lines gets braces; a one-line `if (x) return y;` stays as it is.
        rules: { curly: ["error", "multi-line"] },
    },
    {
        files: ["**/*.ts"],
        extends: [tseslint.configs.recommended],
        rules: {
            // `_name` marks a parameter or binding kept on purpose (a callback's signature, a rest sibling).
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
            ],
        },
    },
    {
        files: ["policy/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    paths: [
                        {
                            name: "@pulumi/aws",
                            message:
                                "Import the provider's module (@pulumi/aws/rds): the whole provider is 2,700 declaration files that the pack's type check, and ts-node under the Pulumi CLI, would parse for the few resources the pack judges.",
                        },
                    ],
                },
            ],
        },
    },
    {
        // The few CommonJS files: the transpile hook, mocha's reporter, the benchmark's CPU report.
        files: ["**/*.js", "**/*.cjs"],
        languageOptions: { sourceType: "commonjs", globals: globals.node },
    },
    {
        files: ["**/*.mjs"],
        languageOptions: { globals: globals.node },
    },
);
