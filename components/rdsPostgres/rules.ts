// Pure rules of the PostgreSQL component: config validation, the component and the tests read these.

/** The log exports RDS offers for PostgreSQL: the server log and the major-version upgrade log. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
export const SUPPORTED_POSTGRES_MAJORS = [14, 15, 16, 17] as const;
export const DEFAULT_POSTGRES_MAJOR = 15;

/** Parameter-group family of a major version (`postgres15`). */
export function postgresParameterFamily(majorVersion: number): string {
    return `postgres${majorVersion}`;
}

/**
 * What production adds: a standby in another zone, no accidental delete, and a snapshot when the
 * instance goes anyway. A restore drill's instance is throwaway, whatever the stack.
 */
export function postgresProtection(
    protectedInstance: boolean,
    identifier: string,
): {
    multiAz: boolean;
    deletionProtection: boolean;
    skipFinalSnapshot: boolean;
    finalSnapshotIdentifier?: string;
} {
    return protectedInstance
        ? { multiAz: true, deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: `${identifier}-final` }
        : { multiAz: false, deletionProtection: false, skipFinalSnapshot: true };
}

/** A point in time RDS accepts: UTC, ISO 8601 with seconds (`2026-11-20T03:00:00Z`). */
export function isRestoreTime(text: string): boolean {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text) && !Number.isNaN(Date.parse(text));
}
