/**
 * robfig/cron-compatible schedules (Velero Schedules, CronJobs) and the interval they imply.
 */
import { describe, expect, it } from 'vitest';
import { cronInterval, CronError, parseGoDurationMs } from '../../src/k8s/cron.js';

const now = new Date('2026-11-23T07:00:18Z'); // a Monday
const H = 3_600_000;

describe('cronInterval', () => {
  it.each([
    ['hourly', '0 * * * *', 1 * H, '2026-11-23T07:00:00.000Z', '2026-11-23T08:00:00.000Z'],
    ['every 6 hours', '0 */6 * * *', 6 * H, '2026-11-23T06:00:00.000Z', '2026-11-23T12:00:00.000Z'],
    ['daily', '0 2 * * *', 24 * H, '2026-11-23T02:00:00.000Z', '2026-11-24T02:00:00.000Z'],
    ['weekly', '0 3 * * 0', 168 * H, '2026-11-22T03:00:00.000Z', '2026-11-29T03:00:00.000Z'],
    ['@hourly', '@hourly', 1 * H, '2026-11-23T07:00:00.000Z', '2026-11-23T08:00:00.000Z'],
    ['@daily', '@daily', 24 * H, '2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z'],
    ['@midnight', '@midnight', 24 * H, '2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z'],
    ['@weekly', '@weekly', 168 * H, '2026-11-22T00:00:00.000Z', '2026-11-29T00:00:00.000Z'],
    ['@monthly', '@monthly', 31 * 24 * H, '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['names and ?', '30 1 ? * MON', 168 * H, '2026-11-23T01:30:00.000Z', '2026-11-30T01:30:00.000Z'],
  ])('%s: %s', (_label, expr, intervalMs, previous, next) => {
    expect(cronInterval(expr, now)).toEqual({ intervalMs, previous, next, constantDelay: false });
  });

  it('takes the larger gap around now (weekdays only, checked on Monday before the run)', () => {
    // previous fire Friday 02:00, next Monday 02:00 → 72 h
    const r = cronInterval('0 2 * * 1-5', new Date('2026-11-23T01:00:00Z'));
    expect(r.intervalMs).toBe(72 * H);
  });

  it('takes the larger gap around now (weekdays only, checked on Monday after the run)', () => {
    // previous fire Monday 02:00, the one before Friday 02:00 → 72 h
    expect(cronInterval('0 2 * * 1-5', now).intervalMs).toBe(72 * H);
  });

  it('honours CRON_TZ=, TZ= and the CronJob time zone', () => {
    expect(cronInterval('CRON_TZ=Europe/Berlin 0 2 * * *', now).previous).toBe('2026-11-23T01:00:00.000Z');
    expect(cronInterval('TZ=America/New_York 0 2 * * *', now).previous).toBe('2026-11-23T07:00:00.000Z');
    expect(cronInterval('0 2 * * *', now, 'Asia/Tokyo').previous).toBe('2026-11-22T17:00:00.000Z');
  });

  it.each([
    ['@every 6h', 6 * H],
    ['@every 1h30m', 1.5 * H],
    ['@every 90s', 90_000],
    ['@every 1.5h', 1.5 * H],
    ['@every 500ms', 1000],
  ])('%s is a constant delay', (expr, intervalMs) => {
    expect(cronInterval(expr, now)).toEqual({ intervalMs, constantDelay: true });
  });

  it.each([
    ['', 'empty schedule'],
    ['* * * * * *', 'expected 5 fields'],
    ['0 2 * *', 'expected 5 fields'],
    ['0 L * * *', 'unsupported value "L"'],
    ['0 2 * * 5#3', 'unsupported value "5#3"'],
    ['H 2 * * *', 'unsupported value "H"'],
    ['0 25 * * *', 'invalid schedule'],
    ['@reboot', 'unrecognized descriptor'],
    ['@minutely', 'unrecognized descriptor'],
    ['@every 1d', 'invalid duration'],
    ['@every', 'unrecognized descriptor'],
    ['@every h', 'invalid duration'],
    ['*/x 2 * * *', 'invalid step'],
  ])('rejects %j as robfig/cron would', (expr, message) => {
    expect(() => cronInterval(expr, now)).toThrow(CronError);
    expect(() => cronInterval(expr, now)).toThrow(message);
  });
});

describe('parseGoDurationMs', () => {
  it('reads Go durations', () => {
    expect(parseGoDurationMs('2h45m')).toBe(2.75 * H);
    expect(parseGoDurationMs('300ms')).toBe(300);
    expect(parseGoDurationMs('1µs')).toBe(0.001);
    expect(parseGoDurationMs('0')).toBe(0);
    expect(() => parseGoDurationMs('-1h')).toThrow(CronError);
    expect(() => parseGoDurationMs('1 h')).toThrow(CronError);
  });
});
