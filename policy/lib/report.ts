import { EnforcementLevel, ReportViolation } from "@pulumi/policy";

/**
 * Reports a violation at a level of its own. The analyzer accepts a violation object for this
 * (@pulumi/policy server.ts, makeReportViolationFun); the SDK's type declares only the string form.
 */
export function reportAtLevel(report: ReportViolation, message: string, enforcementLevel: EnforcementLevel, urn?: string): void {
    (report as unknown as (info: { message: string; enforcementLevel: EnforcementLevel; urn?: string }) => void)({
        message,
        enforcementLevel,
        urn,
    });
}

/** A value as violation messages quote it: `unset`, `"Recreate"`, `["NET_RAW"]`, `false`. Never for secrets. */
export function showValue(value: unknown): string {
    if (value === undefined || value === null) return "unset";
    return typeof value === "object" || typeof value === "string" ? JSON.stringify(value) : String(value);
}
