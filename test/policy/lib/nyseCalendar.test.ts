import { strict as assert } from "assert";
import {
    easterSunday,
    MarketCalendarError,
    nyseEarlyCloses,
    nyseHolidays,
    NYSE_RULE_YEARS,
    observedDay,
} from "../../../policy/lib/nyseCalendar";

// The exchange's own published calendars (NYSE Group's annual announcements of holidays and early
// closings): what the rules must reproduce, date for date.
const published: Record<number, { holidays: string[]; earlyCloses: string[] }> = {
    2022: {
        holidays: [
            "2022-01-17",
            "2022-02-21",
            "2022-04-15",
            "2022-05-30",
            "2022-06-20",
            "2022-07-04",
            "2022-09-05",
            "2022-11-24",
            "2022-12-26",
        ],
        earlyCloses: ["2022-11-25"],
    },
    2023: {
        holidays: [
            "2023-01-02",
            "2023-01-16",
            "2023-02-20",
            "2023-04-07",
            "2023-05-29",
            "2023-06-19",
            "2023-07-04",
            "2023-09-04",
            "2023-11-23",
            "2023-12-25",
        ],
        earlyCloses: ["2023-07-03", "2023-11-24"],
    },
    2024: {
        holidays: [
            "2024-01-01",
            "2024-01-15",
            "2024-02-19",
            "2024-03-29",
            "2024-05-27",
            "2024-06-19",
            "2024-07-04",
            "2024-09-02",
            "2024-11-28",
            "2024-12-25",
        ],
        earlyCloses: ["2024-07-03", "2024-11-29", "2024-12-24"],
    },
    2025: {
        // 9 January 2025, the national day of mourning for President Carter, was a special closure: config, not a rule.
        holidays: [
            "2025-01-01",
            "2025-01-20",
            "2025-02-17",
            "2025-04-18",
            "2025-05-26",
            "2025-06-19",
            "2025-07-04",
            "2025-09-01",
            "2025-11-27",
            "2025-12-25",
        ],
        earlyCloses: ["2025-07-03", "2025-11-28", "2025-12-24"],
    },
    2026: {
        holidays: [
            "2026-01-01",
            "2026-01-19",
            "2026-02-16",
            "2026-04-03",
            "2026-05-25",
            "2026-06-19",
            "2026-07-03",
            "2026-09-07",
            "2026-11-26",
            "2026-12-25",
        ],
        earlyCloses: ["2026-11-27", "2026-12-24"],
    },
    2027: {
        holidays: [
            "2027-01-01",
            "2027-01-18",
            "2027-02-15",
            "2027-03-26",
            "2027-05-31",
            "2027-06-18",
            "2027-07-05",
            "2027-09-06",
            "2027-11-25",
            "2027-12-24",
        ],
        earlyCloses: ["2027-11-26"],
    },
    2028: {
        // New Year's Day falls on Saturday 1 January: no holiday observed (31 December 2027 closes a year).
        holidays: [
            "2028-01-17",
            "2028-02-21",
            "2028-04-14",
            "2028-05-29",
            "2028-06-19",
            "2028-07-04",
            "2028-09-04",
            "2028-11-23",
            "2028-12-25",
        ],
        earlyCloses: ["2028-07-03", "2028-11-24"],
    },
};

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (date: Date | undefined) => date?.toISOString().slice(0, 10);

describe("NYSE calendar", () => {
    for (const [year, expected] of Object.entries(published)) {
        it(`reproduces the exchange's published ${year}: holidays and early closes`, () => {
            assert.deepEqual(
                nyseHolidays(Number(year)).map(h => h.date),
                expected.holidays,
            );
            assert.deepEqual(
                nyseEarlyCloses(Number(year)).map(e => e.date),
                expected.earlyCloses,
            );
            assert.ok(nyseEarlyCloses(Number(year)).every(e => e.close === "13:00"));
        });
    }

    describe("each rule", () => {
        const named = (year: number, name: string) => nyseHolidays(year).find(h => h.name.startsWith(name))?.date;

        it("Martin Luther King Jr. Day and Washington's Birthday: the third Monday of January and of February", () => {
            assert.equal(named(2030, "Martin Luther King"), "2030-01-21"); // 1 January 2030 is a Tuesday
            assert.equal(named(2029, "Washington"), "2029-02-19"); // 1 February 2029 is a Thursday
        });

        it("Good Friday: two days before Easter Sunday by the Gregorian computus", () => {
            for (const [year, easter] of [
                [2024, "2024-03-31"],
                [2025, "2025-04-20"],
                [2038, "2038-04-25"],
                [2035, "2035-03-25"],
                [2285, "2285-03-22"],
            ] as const) {
                assert.equal(iso(easterSunday(year)), easter, String(year)); // 2038 and 2285: the latest and earliest Easters
            }
            assert.equal(named(2038, "Good Friday"), "2038-04-23");
        });

        it("Memorial Day: the last Monday of May, also when May has five Mondays", () => {
            assert.equal(named(2026, "Memorial"), "2026-05-25");
            assert.equal(named(2031, "Memorial"), "2031-05-26"); // May 2031 has Mondays 5, 12, 19, 26
            assert.equal(named(2027, "Memorial"), "2027-05-31");
        });

        it("Labor Day and Thanksgiving: the first Monday of September, the fourth Thursday of November", () => {
            assert.equal(named(2029, "Labor"), "2029-09-03");
            assert.equal(named(2029, "Thanksgiving"), "2029-11-22"); // November 2029 has five Thursdays: the fourth, not the last
        });

        it("Juneteenth: from 2022, with the weekend rules", () => {
            assert.equal(named(2022, "Juneteenth"), "2022-06-20"); // Sunday → Monday
            assert.equal(nyseHolidays(2027).find(h => h.date === "2027-06-18")?.name, "Juneteenth National Independence Day (observed)"); // Saturday → Friday
        });
    });

    describe("observed days", () => {
        it("a Sunday holiday closes the Monday after", () => {
            assert.equal(iso(observedDay(d("2023-01-01"))), "2023-01-02");
            assert.equal(iso(observedDay(d("2027-07-04"))), "2027-07-05");
        });

        it("a Saturday holiday closes the Friday before", () => {
            assert.equal(iso(observedDay(d("2026-07-04"))), "2026-07-03");
            assert.equal(iso(observedDay(d("2027-12-25"))), "2027-12-24");
        });

        it("but not when that Friday is the last trading day of a month or a year: New Year's Day on a Saturday closes nothing", () => {
            assert.equal(observedDay(d("2028-01-01")), undefined);
            assert.equal(observedDay(d("2033-01-01")), undefined);
            assert.ok(!nyseHolidays(2027).some(h => h.date === "2027-12-31"));
            assert.ok(!nyseHolidays(2033).some(h => h.name.startsWith("New Year")));
        });

        it("a weekday holiday is its own day", () => {
            assert.equal(iso(observedDay(d("2024-12-25"))), "2024-12-25");
        });

        it("no early close on Christmas Eve when it is the observed holiday, nor on 3 July when the 4th falls on a weekend", () => {
            assert.ok(!nyseEarlyCloses(2027).some(e => e.date === "2027-12-24"));
            assert.ok(!nyseEarlyCloses(2026).some(e => e.date === "2026-07-02" || e.date === "2026-07-03"));
        });
    });

    it("refuses a year outside the rules' years rather than judging it open", () => {
        assert.throws(
            () => nyseHolidays(NYSE_RULE_YEARS.first - 1),
            (e: Error) =>
                e instanceof MarketCalendarError && /cannot judge 2021: its rules are computed for 2022–2099 only\. Fix: /.test(e.message),
        );
        assert.throws(() => nyseHolidays(NYSE_RULE_YEARS.last + 1), MarketCalendarError);
        assert.throws(() => nyseEarlyCloses(2100), MarketCalendarError);
        assert.equal(nyseHolidays(NYSE_RULE_YEARS.last).length, 10);
    });
});
