/**
 * Strict dates: calendar dates and RFC 3339 date-times as a user types them (`--now`, a
 * waiver's `expires`); a day that does not exist, a missing time zone, an hour 24 are errors.
 */
import { describe, expect, it } from 'vitest';
import { parseNow } from '../../src/cli/options.js';
import { parseCalendarDate, parseDateTime, type DateParse } from '../../src/dates.js';

const iso = (r: DateParse): string => (r.ok ? r.date.toISOString() : `error: ${r.problem}`);

describe('parseCalendarDate', () => {
  it.each([
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['2000-02-29', '2000-02-29T00:00:00.000Z'],
    ['2027-12-31', '2027-12-31T00:00:00.000Z'],
    ['0050-06-01', '0050-06-01T00:00:00.000Z'],
    ['2026-02-30', 'error: February 2026 has 28 days'],
    ['2027-02-29', 'error: February 2027 has 28 days'],
    ['1900-02-29', 'error: February 1900 has 28 days'],
    ['2026-04-31', 'error: April 2026 has 30 days'],
    ['2026-01-00', 'error: January 2026 has 31 days'],
    ['2026-00-10', 'error: there is no month 00'],
    ['2026-13-01', 'error: there is no month 13'],
    ['2026-1-01', 'error: expected a date as YYYY-MM-DD'],
    ['2026-01-01T00:00:00Z', 'error: expected a date as YYYY-MM-DD'],
    [' 2026-01-01', 'error: expected a date as YYYY-MM-DD'],
  ])('%s → %s', (text, expected) => {
    expect(iso(parseCalendarDate(text))).toBe(expected);
  });
});

describe('parseDateTime', () => {
  it.each([
    ['2026-11-23T07:00:18Z', '2026-11-23T07:00:18.000Z'],
    ['2026-11-23t07:00:18z', '2026-11-23T07:00:18.000Z'],
    ['2026-11-23T08:00:18.25+01:00', '2026-11-23T07:00:18.250Z'],
    ['2026-11-23T00:30:00.1239-05:30', '2026-11-23T06:00:00.123Z'],
    ['2026-11-23', '2026-11-23T00:00:00.000Z'],
    ['2028-02-29T23:59:59Z', '2028-02-29T23:59:59.000Z'],
    ['2026-02-30T00:00:00Z', 'error: February 2026 has 28 days'],
    ['2026-02-30', 'error: February 2026 has 28 days'],
    ['2026-11-23T24:00:00Z', 'error: hour 24 is out of range (00–23)'],
    ['2026-11-23T07:60:00Z', 'error: minute 60 is out of range (00–59)'],
    ['2026-12-31T23:59:60Z', 'error: second 60 is out of range (00–59; leap seconds are not supported)'],
    ['2026-11-23T07:00:00+24:00', 'error: offset +24:00 is out of range (at most ±23:59)'],
  ])('%s → %s', (text, expected) => {
    expect(iso(parseDateTime(text))).toBe(expected);
  });

  it.each([
    '2026-11-23T07:00:00',
    '2026-11-23T07:00Z',
    '2026-11-23 07:00:00Z',
    '2026-11-23T07:00:00+0100',
    'tomorrow',
    '1732345218',
    '2026-W48-1',
  ])('refuses %s', (text) => {
    expect(iso(parseDateTime(text))).toBe(
      'error: expected an RFC 3339 date-time such as 2026-11-23T07:00:00Z (with Z or an offset such as +01:00), or a date as YYYY-MM-DD',
    );
  });
});

describe('--now', () => {
  it('is strict and says why', () => {
    expect(parseNow('2028-02-29').toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(() => parseNow('2026-02-30')).toThrow('February 2026 has 28 days');
    expect(() => parseNow('2027-02-29T10:00:00Z')).toThrow('February 2027 has 28 days');
  });
});
