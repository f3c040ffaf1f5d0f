// The New York Stock Exchange's market holidays, computed from the exchange's published rules (NYSE
// Rule 7.2 and its holiday schedule) rather than typed year by year: a typed list ends, and past its end
// a deployment window would silently allow changes on holidays. Dates are calendar dates (YYYY-MM-DD),
// read in New York; pure arithmetic on UTC dates, no time zone involved.

/** A day the exchange is closed, or closes early. */
export interface MarketDay {
    /** YYYY-MM-DD. */
    date: string;
    name: string;
}

/** A day the exchange closes early, at `close` (HH:MM, New York). */
export interface EarlyClose extends MarketDay {
    close: string;
}

/**
 * The years these rules describe. 2022 is the first year with Juneteenth (the exchange added it that
 * year; earlier years follow other rules). The last is a horizon for review, not a known change: a new
 * holiday is a change to the exchange's rules, and to this file.
 */
export const NYSE_RULE_YEARS = { first: 2022, last: 2099 } as const;

/** A date the calendar cannot judge: outside its years. Judging it as open would be a silent pass. */
export class MarketCalendarError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "MarketCalendarError";
    }
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
const plusDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);

/** The `n`-th `weekday` (0 Sunday … 6 Saturday) of a month; n = -1 is the last. */
function nthWeekday(year: number, month: number, weekday: number, n: number): Date {
    if (n > 0) {
        const first = utc(year, month, 1);
        return plusDays(first, ((weekday - first.getUTCDay() + 7) % 7) + (n - 1) * 7);
    }
    const last = utc(year, month + 1, 0);
    return plusDays(last, -((last.getUTCDay() - weekday + 7) % 7));
}

/** Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(year: number): Date {
    const a = year % 19;
    const b = Math.floor(year / 100);
    const c = year % 100;
    const d = Math.floor(b / 4);
    const e = b % 4;
    const f = Math.floor((b + 8) / 25);
    const g = Math.floor((b - f + 1) / 3);
    const h = (19 * a + b - d - g + 15) % 30;
    const i = Math.floor(c / 4);
    const k = c % 4;
    const l = (32 + 2 * e + 2 * i - h - k) % 7;
    const m = Math.floor((a + 11 * h + 22 * l) / 451);
    const month = Math.floor((h + l - 7 * m + 114) / 31);
    const day = ((h + l - 7 * m + 114) % 31) + 1;
    return utc(year, month, day);
}

/**
 * The day the exchange closes for a holiday falling on `date`: a Sunday holiday on the Monday after; a
 * Saturday holiday on the Friday before, unless that Friday is the last trading day of a month (or
 * year: New Year's Day on a Saturday closes nothing, the exchange opens on 31 December). Undefined
 * when no day is closed.
 */
export function observedDay(date: Date): Date | undefined {
    const weekday = date.getUTCDay();
    if (weekday === 0) return plusDays(date, 1);
    if (weekday !== 6) return date;
    const friday = plusDays(date, -1);
    const monday = plusDays(date, 2);
    return friday.getUTCMonth() === monday.getUTCMonth() ? friday : undefined;
}

function checkYear(year: number): void {
    if (!Number.isInteger(year) || year < NYSE_RULE_YEARS.first || year > NYSE_RULE_YEARS.last) {
        throw new MarketCalendarError(
            `the NYSE calendar cannot judge ${year}: its rules are computed for ${NYSE_RULE_YEARS.first}–${NYSE_RULE_YEARS.last} only. ` +
                "Fix: check the exchange's published holidays for that year and extend the rules in policy/lib/nyseCalendar.ts (NYSE_RULE_YEARS).",
        );
    }
}

/** The exchange's full-day holidays of `year`, in date order. Throws MarketCalendarError outside NYSE_RULE_YEARS. */
export function nyseHolidays(year: number): MarketDay[] {
    checkYear(year);
    const fixed = (month: number, day: number, name: string): [Date | undefined, string] => {
        const date = utc(year, month, day);
        const observed = observedDay(date);
        return [observed, observed && iso(observed) !== iso(date) ? `${name} (observed)` : name];
    };
    const days: [Date | undefined, string][] = [
        fixed(1, 1, "New Year's Day"),
        [nthWeekday(year, 1, 1, 3), "Martin Luther King Jr. Day"],
        [nthWeekday(year, 2, 1, 3), "Washington's Birthday"],
        [plusDays(easterSunday(year), -2), "Good Friday"],
        [nthWeekday(year, 5, 1, -1), "Memorial Day"],
        fixed(6, 19, "Juneteenth National Independence Day"),
        fixed(7, 4, "Independence Day"),
        [nthWeekday(year, 9, 1, 1), "Labor Day"],
        [nthWeekday(year, 11, 4, 4), "Thanksgiving Day"],
        fixed(12, 25, "Christmas Day"),
    ];
    return days.flatMap(([date, name]) => (date ? [{ date: iso(date), name }] : []));
}

/**
 * The exchange's customary early closes (13:00 New York) of `year`: the day before Independence Day
 * when both are weekdays, the day after Thanksgiving, and Christmas Eve when it is a weekday and not
 * itself the observed holiday. The exchange announces them each year; these are the days it has
 * announced every year since the rules above began. Others (and exceptions) belong in policy config.
 */
export function nyseEarlyCloses(year: number): EarlyClose[] {
    const holidays = new Set(nyseHolidays(year).map(h => h.date));
    const weekday = (d: Date) => d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
    const closes: EarlyClose[] = [];
    const july3 = utc(year, 7, 3);
    if (weekday(july3) && weekday(utc(year, 7, 4))) closes.push({ date: iso(july3), name: "Independence Day eve", close: "13:00" });
    closes.push({ date: iso(plusDays(nthWeekday(year, 11, 4, 4), 1)), name: "Day after Thanksgiving", close: "13:00" });
    const christmasEve = utc(year, 12, 24);
    if (weekday(christmasEve) && !holidays.has(iso(christmasEve))) {
        closes.push({ date: iso(christmasEve), name: "Christmas Eve", close: "13:00" });
    }
    return closes;
}

/** The holiday falling on `date` (YYYY-MM-DD), if any. Throws MarketCalendarError outside NYSE_RULE_YEARS. */
export function nyseHolidayOn(date: string): MarketDay | undefined {
    return nyseHolidays(Number(date.slice(0, 4))).find(h => h.date === date);
}

/** The customary early close on `date`, if any. Throws MarketCalendarError outside NYSE_RULE_YEARS. */
export function nyseEarlyCloseOn(date: string): EarlyClose | undefined {
    return nyseEarlyCloses(Number(date.slice(0, 4))).find(e => e.date === date);
}
