import { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { addDays, clockToMinutes, localTime } from "../lib/marketCalendar";
import { nyseEarlyCloseOn, nyseHolidayOn } from "../lib/nyseCalendar";
import { reportAtLevel } from "../lib/report";
import { environmentOf, EnvironmentStacks, environmentStacksSchema } from "../lib/stacks";
import { withMetadata } from "../lib/metadata";

export interface DeploymentWindowConfig extends EnvironmentStacks {
    timeZone: string;
    allowedDays: string[];
    windowStart: string;
    windowEnd: string;
    /** Local periods never to deploy in, whatever the window says (around the open and the close). */
    blackouts: { start: string; end: string; reason: string }[];
    /** Days the exchange closes outside its rules (a national day of mourning): no deploy all day. */
    specialClosures: { date: string; name: string }[];
    /** Early closes beyond the exchange's customary ones, or another time on one of those (YYYY-MM-DD, HH:MM). */
    earlyCloses: { date: string; close: string }[];
    /** Minutes kept clear on each side of an early close. */
    closeBufferMinutes: number;
    /** Emergency override: when set and not expired, the policy only logs an advisory note. */
    emergencyOverride?: { reason: string; approvedBy: string; expiresAt: string };
}

const clock = { type: "string", pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$" } as const;
const date = { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" } as const;

/** The default window: Tuesday–Thursday, 10:00–14:00 New York time, away from the open and the close, never on a holiday. */
export const deploymentWindowSchema: PolicyConfigSchema = {
    properties: {
        ...environmentStacksSchema,
        timeZone: {
            type: "string",
            default: "America/New_York",
            description: "IANA time zone the window, blackouts and holidays are read in.",
        },
        allowedDays: {
            type: "array",
            items: { enum: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] },
            default: ["Tue", "Wed", "Thu"],
            description: "Weekdays production may change on.",
        },
        windowStart: { ...clock, default: "10:00", description: "Local time (HH:MM) the daily window opens." },
        windowEnd: { ...clock, default: "14:00", description: "Local time (HH:MM) the daily window closes (exclusive)." },
        blackouts: {
            type: "array",
            description: "Local periods never to deploy in, whatever the window says (around the open and the close).",
            items: {
                type: "object",
                required: ["start", "end", "reason"],
                properties: { start: clock, end: clock, reason: { type: "string" } },
            },
            default: [
                { start: "09:00", end: "10:00", reason: "market open" },
                { start: "15:30", end: "16:30", reason: "market close" },
            ],
        },
        specialClosures: {
            type: "array",
            description:
                "Days the exchange closes outside its holiday rules (YYYY-MM-DD, e.g. a national day of mourning): no production change all day. " +
                "The NYSE's holidays themselves are computed from its rules (policy/lib/nyseCalendar.ts), never listed.",
            items: {
                type: "object",
                required: ["date", "name"],
                properties: { date, name: { type: "string" } },
                additionalProperties: false,
            },
            default: [{ date: "2025-01-09", name: "National Day of Mourning for President Jimmy Carter" }],
        },
        earlyCloses: {
            type: "array",
            description:
                "Early closes beyond the exchange's customary ones (YYYY-MM-DD, HH:MM), or another time on one of those; closeBufferMinutes are kept clear on each side. " +
                "The customary 13:00 closes (Independence Day eve, the day after Thanksgiving, Christmas Eve) are computed.",
            items: { type: "object", required: ["date", "close"], properties: { date, close: clock }, additionalProperties: false },
            default: [],
        },
        closeBufferMinutes: { type: "integer", minimum: 0, default: 30, description: "Minutes kept clear on each side of an early close." },
        emergencyOverride: {
            type: "object",
            description:
                "Emergency override { reason (15+ characters), approvedBy, expiresAt (ISO 8601) }: until it expires, a change outside the window is logged as advisory instead of blocked.",
            required: ["reason", "approvedBy", "expiresAt"],
            properties: {
                reason: { type: "string", minLength: 15 },
                approvedBy: { type: "string", minLength: 1 },
                expiresAt: {
                    type: "string",
                    pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$",
                },
            },
            additionalProperties: false,
        },
    },
};

/** The exchange's closure on `date` (a holiday by its rules, or a special closure from config), if any. */
function closureOn(date: string, config: DeploymentWindowConfig): { name: string } | undefined {
    return config.specialClosures.find(c => c.date === date) ?? nyseHolidayOn(date);
}

/** The early close on `date`: config's time when it names the day, else the exchange's customary one. */
function earlyCloseOn(date: string, config: DeploymentWindowConfig): { close: string } | undefined {
    return config.earlyCloses.find(e => e.date === date) ?? nyseEarlyCloseOn(date);
}

/**
 * Why `instant` is outside the window, or undefined when a production change may go ahead. Throws
 * MarketCalendarError for a date the exchange's calendar cannot judge: never a pass.
 */
export function windowProblem(instant: Date, config: DeploymentWindowConfig): string | undefined {
    const now = localTime(instant, config.timeZone);
    const holiday = closureOn(now.date, config);
    if (holiday) return `${now.date} is a market holiday (${holiday.name})`;
    if (!config.allowedDays.includes(now.weekday)) return `${now.weekday} is not a deployment day (${config.allowedDays.join(", ")})`;
    if (now.minutes < clockToMinutes(config.windowStart) || now.minutes >= clockToMinutes(config.windowEnd)) {
        return `${now.clock} is outside ${config.windowStart}–${config.windowEnd}`;
    }
    const blackout = config.blackouts.find(b => now.minutes >= clockToMinutes(b.start) && now.minutes < clockToMinutes(b.end));
    if (blackout) return `${now.clock} falls in the ${blackout.reason} blackout (${blackout.start}–${blackout.end})`;
    const early = earlyCloseOn(now.date, config);
    if (early && Math.abs(now.minutes - clockToMinutes(early.close)) < config.closeBufferMinutes) {
        return `${now.clock} is within ${config.closeBufferMinutes} minutes of today's early close at ${early.close}`;
    }
    return undefined;
}

/** The start of the next window after `instant`, as local wall-clock text. */
export function nextWindow(instant: Date, config: DeploymentWindowConfig): string {
    const now = localTime(instant, config.timeZone);
    for (let days = 0; days <= 31; days++) {
        const day = days === 0 ? { date: now.date, weekday: now.weekday } : addDays(now.date, days);
        if (!config.allowedDays.includes(day.weekday) || closureOn(day.date, config)) continue;
        if (days === 0 && now.minutes >= clockToMinutes(config.windowStart)) continue;
        return `${day.weekday} ${day.date} ${config.windowStart} ${config.timeZone}`;
    }
    return "none in the next 31 days";
}

/** Builds the policy around a clock, so tests can pin the time; the pack uses the real one. */
export function makeProductionDeploymentWindow(now: () => Date): StackValidationPolicy {
    return {
        name: "production-deployment-window",
        description:
            "Production changes only inside the deployment windows: Tuesday to Thursday, 10:00 to 14:00 New York time, away from the open and the close, never on a market holiday.",
        // Advisory so pull requests can be previewed at any hour; the promotion config makes it mandatory.
        enforcementLevel: "advisory",
        ...withMetadata({ severity: "low", topics: ["change-management"] }),
        configSchema: deploymentWindowSchema,
        validateStack: (args, reportViolation) => {
            const config = args.getConfig<DeploymentWindowConfig>();
            const stackUrn = args.resources[0]?.urn;
            if (!stackUrn || environmentOf(stackUrn, config) !== "production") return;
            const instant = now();
            const problem = windowProblem(instant, config);
            if (!problem) return;
            const override = config.emergencyOverride;
            if (override && Date.parse(override.expiresAt) > instant.getTime()) {
                // On record in the update's output, at advisory level, so the change goes ahead.
                reportAtLevel(
                    reportViolation,
                    `Emergency override in effect outside the window (${problem}): "${override.reason}", approved by ${override.approvedBy}, expires ${override.expiresAt}.`,
                    "advisory",
                );
                return;
            }
            reportViolation(
                `Outside the deployment window: ${problem}. The next window opens ${nextWindow(instant, config)}. ` +
                    "Fix: promote then, or for an emergency set emergencyOverride {reason, approvedBy, expiresAt} for this policy in the promotion's policy config.",
            );
        },
    };
}

export const productionDeploymentWindow = makeProductionDeploymentWindow(() => new Date());
