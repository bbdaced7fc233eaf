/**
 * Strict parsing of the dates a user types (`--now`, a waiver's `expires`): calendar dates
 * `YYYY-MM-DD` and RFC 3339 date-times `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. Unlike
 * `new Date()`, a day that does not exist is an error, not the next month (`2026-02-30` is not
 * March 2), and a date-time without a time zone is an error, not local time. The same dates
 * pass the report schema's `date` and `date-time` formats (ajv-formats), so what is accepted
 * here cannot make a report invalid.
 */

/** The outcome of parsing: the instant, or why the text is not a date. */
export type DateParse = { ok: true; date: Date } | { ok: false; problem: string };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Why year-month-day is not a day of the calendar, or undefined. */
function dayProblem(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12) return `there is no month ${String(m).padStart(2, '0')}`;
  const days = daysIn(y, m);
  if (d < 1 || d > days) return `${MONTHS[m - 1]} ${y} has ${days} days`;
  return undefined;
}

/** The instant at `h:min:s.ms` UTC of a valid calendar day (years 0–99 included, which `Date.UTC` would move to 19xx). */
function utc(y: number, m: number, d: number, h = 0, min = 0, s = 0, ms = 0): Date {
  const date = new Date(Date.UTC(2000, m - 1, d, h, min, s, ms));
  date.setUTCFullYear(y);
  return date;
}

/** A calendar date `YYYY-MM-DD` (a real day of the Gregorian calendar) as 00:00 UTC of that day. */
export function parseCalendarDate(text: string): DateParse {
  const m = CALENDAR_DATE.exec(text);
  if (!m) return { ok: false, problem: 'expected a date as YYYY-MM-DD' };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const problem = dayProblem(y, mo, d);
  return problem ? { ok: false, problem } : { ok: true, date: utc(y, mo, d) };
}

/**
 * An RFC 3339 date-time (`2026-11-23T07:00:00Z`, `2026-11-23T08:00:00.5+01:00`; fractions of a
 * millisecond are dropped) or a calendar date (00:00 UTC of that day). Leap seconds (`:60`) are
 * refused: a JavaScript date cannot hold them.
 */
export function parseDateTime(text: string): DateParse {
  if (CALENDAR_DATE.test(text)) return parseCalendarDate(text);
  const m = DATE_TIME.exec(text);
  if (!m)
    return {
      ok: false,
      problem: 'expected an RFC 3339 date-time such as 2026-11-23T07:00:00Z (with Z or an offset such as +01:00), or a date as YYYY-MM-DD',
    };
  const [y, mo, d, h, min, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const problem =
    dayProblem(y, mo, d) ??
    (h > 23 ? `hour ${m[4]} is out of range (00–23)` : undefined) ??
    (min > 59 ? `minute ${m[5]} is out of range (00–59)` : undefined) ??
    (s > 59 ? `second ${m[6]} is out of range (00–59; leap seconds are not supported)` : undefined) ??
    (m[9] && (Number(m[10]) > 23 || Number(m[11]) > 59) ? `offset ${m[9]}${m[10]}:${m[11]} is out of range (at most ±23:59)` : undefined);
  if (problem) return { ok: false, problem };
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const offsetMin = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : 0;
  return { ok: true, date: new Date(utc(y, mo, d, h, min, s, ms).getTime() - offsetMin * 60_000) };
}
