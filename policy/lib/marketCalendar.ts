// Local wall-clock arithmetic for deployment windows. Everything is computed in the window's time
// zone through Intl, so daylight-saving changes move the window with the market, not with UTC.

export interface LocalTime {
    /** YYYY-MM-DD in the time zone. */
    date: string;
    /** Mon, Tue, ... */
    weekday: string;
    /** Minutes since local midnight. */
    minutes: number;
    /** HH:MM. */
    clock: string;
}

export function localTime(instant: Date, timeZone: string): LocalTime {
    const parts = Object.fromEntries(
        new Intl.DateTimeFormat("en-US", {
            timeZone,
            year: "numeric",
            month: "2-digit",
            day: "2-digit",
            weekday: "short",
            hour: "2-digit",
            minute: "2-digit",
            hourCycle: "h23",
        })
            .formatToParts(instant)
            .map(p => [p.type, p.value]),
    );
    const minutes = Number(parts.hour) * 60 + Number(parts.minute);
    return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday: parts.weekday, minutes, clock: `${parts.hour}:${parts.minute}` };
}

/** "10:30" → 630. */
export function clockToMinutes(clock: string): number {
    const [h, m] = clock.split(":").map(Number);
    return h * 60 + m;
}

/** The calendar date `days` after a YYYY-MM-DD date, and its weekday (dates carry no zone). */
export function addDays(date: string, days: number): { date: string; weekday: string } {
    const d = new Date(`${date}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return {
        date: d.toISOString().slice(0, 10),
        weekday: new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "short" }).format(d),
    };
}
