// The policy results of a plan or a check as SARIF 2.1.0, for GitHub code scanning: one rule per policy
// of the pack, one result per violation, located at the line that caused it (the stack file's config
// key, or the manifest's document). Built from the redacted plan document only, so it carries no
// secret and no flagged credential: no input value ever reaches it, and messages are the scrubbed ones.
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Location, Log, Notification, ReportingConfiguration, ReportingDescriptor, Result } from "sarif";
import { EnforcementLevel, Policy, Severity } from "@pulumi/policy";
import { PolicyPackDefinition, PolicyViolation } from "../engine/policyEngine";
import { ResourceOrigin } from "../engine/resource";
import { repoRoot } from "../runtime/paths";
import { PlanDocument } from "./document";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/**
 * GitHub code scanning's security severity for each of the SDK's severities: it reads a score from 0.0
 * to 10.0 and shows over 9.0 as critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
 */
export const securitySeverity: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

/** A policy's level as SARIF's: what blocks an update is an error, what only reports is a warning. */
export function sarifLevel(level: EnforcementLevel): ReportingConfiguration.level {
    return level === "mandatory" || level === "remediate" ? "error" : level === "advisory" ? "warning" : "none";
}

/** `no-plaintext-credentials` → `NoPlaintextCredentials`: SARIF's readable rule name. */
const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/**
 * Each policy's section of docs/policies.md (what it checks, why, how to fix it), by policy name: the
 * help code scanning shows beside an alert. A test keeps a section for every policy.
 */
export function policyHelp(catalogue: string): Map<string, string> {
    const sections = new Map<string, string>();
    let current: { name: string; lines: string[] } | undefined;
    const close = () => current && sections.set(current.name, current.lines.join("\n").trim());
    for (const line of catalogue.split("\n")) {
        const heading = /^### `([a-z0-9-]+)`\s*$/.exec(line);
        if (heading || /^#{1,3} /.test(line)) {
            close();
            current = heading ? { name: heading[1], lines: [] } : undefined;
        } else if (current) {
            current.lines.push(line);
        }
    }
    close();
    return sections;
}

/** Markdown as plain text: SARIF's `help.text` is shown where markdown is not. */
const plain = (markdown: string) =>
    // Code spans keep their text verbatim (a literal `****` is not bold): only the prose between them loses its markup.
    markdown
        .split(/(`[^`]+`)/)
        .map(part =>
            part.startsWith("`") && part.endsWith("`") && part.length > 1
                ? part.slice(1, -1)
                : part.replace(/\*\*([^*]+)\*\*/g, "$1").replace(/\[([^\]]+)\]\([^)]+\)/g, "$1"),
        )
        .join("");

function rule(policy: Policy, pack: PolicyPackDefinition, help: string | undefined): ReportingDescriptor {
    const description = policy.description;
    const markdown = help ?? `${description}\n\nThe violation's message ends with the fix.`;
    return {
        id: policy.name,
        name: pascal(policy.name),
        shortDescription: { text: description },
        fullDescription: { text: description },
        help: { text: plain(markdown), markdown },
        defaultConfiguration: {
            level: sarifLevel(policy.enforcementLevel ?? pack.enforcementLevel),
            enabled: (policy.enforcementLevel ?? pack.enforcementLevel) !== "disabled",
        },
        properties: {
            // "security" makes code scanning read security-severity and list the alert as a security finding.
            tags: ["security", ...(policy.tags ?? [])],
            precision: "high",
            ...(policy.severity ? { "security-severity": securitySeverity[policy.severity], severity: policy.severity } : {}),
        },
    };
}

/** An origin's file as SARIF names it: relative to the repository root (code scanning's `%SRCROOT%`), else a file URI. */
function artifact(file: string): { uri: string; uriBaseId?: string } {
    return path.isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: file, uriBaseId: "%SRCROOT%" };
}

export interface SarifOptions {
    /** The command that produced the results: `plan` or `policy-check` (part of the run's category). */
    command: "plan" | "policy-check";
    /** Where a result with no origin points (the checked plan file, the first manifest), relative to the repository or absolute. */
    fallbackFile: string;
    /** docs/policies.md's text; read from the repository when absent. */
    catalogue?: string;
}

/** The SARIF log of `doc`'s policy results against `pack`. */
export function renderSarif(doc: PlanDocument, pack: PolicyPackDefinition, options: SarifOptions): Log {
    const help = policyHelp(options.catalogue ?? fs.readFileSync(path.join(repoRoot, "docs", "policies.md"), "utf8"));
    const rules = pack.policies.map(policy => rule(policy, pack, help.get(policy.name)));
    const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
    const origins = new Map<string, ResourceOrigin>();
    for (const r of doc.resources) if (r.origin) origins.set(r.urn, r.origin);
    // A stack-level result points where the stack as a whole is declared: the root stack's origin.
    const root = doc.resources.find(r => r.type === "pulumi:pulumi:Stack")?.origin;
    const fallback: ResourceOrigin = root ?? { file: options.fallbackFile, line: 1 };

    const location = (urn: string | undefined): Location => {
        const origin = (urn && origins.get(urn)) || fallback;
        return {
            physicalLocation: { artifactLocation: artifact(origin.file), region: { startLine: origin.line } },
            ...(urn ? { logicalLocations: [{ fullyQualifiedName: urn, kind: "resource" }] } : {}),
            ...(origin.configKey ? { message: { text: `config key ${origin.configKey}` } } : {}),
        };
    };
    const result = (v: PolicyViolation): Result => ({
        ruleId: v.policyName,
        ...(ruleIndex.has(v.policyName) ? { ruleIndex: ruleIndex.get(v.policyName) } : {}),
        level: v.previewUnknown ? "note" : sarifLevel(v.enforcementLevel),
        message: { text: `${v.detail || v.description}${v.urn ? ` (${v.urn})` : ""}` },
        locations: [location(v.urn)],
        properties: {
            enforcementLevel: v.enforcementLevel,
            ...(v.severity ? { severity: v.severity } : {}),
            ...(v.urn ? { urn: v.urn } : {}),
        },
    });

    const overrides = pack.policies.flatMap(policy => {
        const ran = doc.policyPack.levels[policy.name];
        const own = policy.enforcementLevel ?? pack.enforcementLevel;
        return ran && ran !== own
            ? [
                  {
                      descriptor: { id: policy.name, index: ruleIndex.get(policy.name) },
                      configuration: { level: sarifLevel(ran), enabled: ran !== "disabled" },
                  },
              ]
            : [];
    });
    const notifications: Notification[] = [
        ...doc.policyResults.errors.map((e): Notification => ({
            level: "error",
            message: { text: `The policy threw, which fails the run: ${e.message}${e.urn ? ` (${e.urn})` : ""}` },
            associatedRule: { id: e.policyName, ...(ruleIndex.has(e.policyName) ? { index: ruleIndex.get(e.policyName) } : {}) },
            locations: [location(e.urn)],
        })),
        ...doc.policyResults.warnings.map((w): Notification => ({ level: "warning", message: { text: w } })),
    ];

    return {
        $schema: SARIF_SCHEMA_URI,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: { name: doc.policyPack.name, version: doc.policyPack.version, semanticVersion: doc.policyPack.version, rules },
                },
                // One category per command and stack: code scanning keeps each one's alerts apart, and
                // refuses two runs of one category in an upload.
                automationDetails: { id: `${doc.project}/${options.command}/${doc.stack}/` },
                invocations: [
                    {
                        executionSuccessful: doc.policyResults.errors.length === 0,
                        ...(overrides.length ? { ruleConfigurationOverrides: overrides } : {}),
                        ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
                    },
                ],
                results: doc.policyResults.violations.map(result),
                properties: { stack: doc.stack, source: doc.source, passed: doc.summary.passed },
            },
        ],
    };
}
