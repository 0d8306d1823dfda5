import {
  formatCalendarDuration,
  instantOf,
  isoWeek,
  parseCalendarDuration,
  periodKey,
  subtractCalendar,
  wallClock,
} from '../../src/policy/periods';
import { globMatcher } from '../../src/policy/glob';

const utc = (text: string): number => Date.parse(`${text.replace(' ', 'T')}Z`);

describe('ISO weeks', () => {
  it.each([
    ['2021-01-03', 2020, 53], // Sunday belongs to the last week of 2020
    ['2021-01-04', 2021, 1],
    ['2024-12-30', 2025, 1], // Monday of the week holding 2025's first Thursday
    ['2026-02-09', 2026, 7],
    ['2014-12-28', 2014, 52],
  ])('%s is week %i-%i', (date, year, week) => {
    const [y, m, d] = date.split('-').map(Number);
    expect(isoWeek(y, m, d)).toEqual({ year, week });
  });
});

describe('wall clock and period keys in a time zone', () => {
  it('reads Berlin summer time (UTC+2)', () => {
    const w = wallClock(utc('2026-07-01 22:30:00'), 'Europe/Berlin');
    expect([w.year, w.month, w.day, w.hour, w.minute]).toEqual([2026, 7, 2, 0, 30]);
    expect(periodKey(w, 'day')).toBe(20260702);
    expect(periodKey(w, 'hour')).toBe(2026070200);
    expect(periodKey(w, 'month')).toBe(202607);
  });

  // (A wall clock inside the autumn repeat hour is ambiguous; the later instant is taken.)
  it('round-trips a wall clock to its instant, across the DST switch', () => {
    for (const instant of [
      utc('2026-03-29 00:30:00'),
      utc('2026-03-29 01:30:00'),
      utc('2026-10-25 02:30:00'),
    ]) {
      expect(instantOf(wallClock(instant, 'Europe/Berlin'), 'Europe/Berlin')).toBe(instant);
    }
  });
});

describe('calendar durations', () => {
  it('parses any order and prints y m d h', () => {
    expect(parseCalendarDuration('1y1d1m')).toEqual({ years: 1, months: 1, days: 1, hours: 0 });
    expect(formatCalendarDuration(parseCalendarDuration('1y1d1m')!)).toBe('1y1m1d');
    expect(parseCalendarDuration('7 days')).toBeUndefined();
    expect(parseCalendarDuration('')).toBeUndefined();
  });

  it('subtracts months like Go AddDate: 31 March minus 1 month rolls over to 3 March', () => {
    const t = subtractCalendar(utc('2026-03-31 12:00:00'), { years: 0, months: 1, days: 0, hours: 0 }, 'UTC');
    expect(new Date(t).toISOString()).toBe('2026-03-03T12:00:00.000Z');
  });

  it('subtracts days on the calendar of the zone (a DST day is 23 hours)', () => {
    const t = subtractCalendar(
      utc('2026-03-29 10:00:00'),
      { years: 0, months: 0, days: 1, hours: 0 },
      'Europe/Berlin',
    );
    expect(utc('2026-03-29 10:00:00') - t).toBe(23 * 3_600_000);
  });
});

describe('name patterns', () => {
  it('matches * and ? against whole names only', () => {
    const match = globMatcher(['release_*', 'v?_final']);
    expect(match('release_2026')).toBe('release_*');
    expect(match('v2_final')).toBe('v?_final');
    expect(match('pre_release_1')).toBeUndefined();
    expect(match('v10_final')).toBeUndefined();
  });
});
