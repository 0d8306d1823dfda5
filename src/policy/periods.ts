/**
 * Calendar arithmetic in an IANA time zone, with no dependency beyond Intl: wall-clock fields of
 * an instant, the hour/day/ISO-week/month/year a snapshot falls in (restic's natural boundaries),
 * and "this many years, months, days and hours before" an instant.
 */

export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export type PeriodUnit = 'hour' | 'day' | 'week' | 'month' | 'year';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const formatters = new Map<string, Intl.DateTimeFormat>();

function isUtc(timeZone: string): boolean {
  return timeZone === 'UTC' || timeZone === 'Etc/UTC';
}

/** True when Intl knows the zone name (e.g. "Europe/Berlin", "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function utcWallClock(epochMs: number): WallClock {
  const d = new Date(epochMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/** The wall clock in `timeZone` at an instant. */
export function wallClock(epochMs: number, timeZone: string): WallClock {
  if (isUtc(timeZone)) return utcWallClock(epochMs);
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year,
    month: fields.month,
    day: fields.day,
    hour: fields.hour,
    minute: fields.minute,
    second: fields.second,
    millisecond: ((epochMs % 1000) + 1000) % 1000,
  };
}

/** The wall clock read as if it were UTC; its difference to the instant is the zone's offset. */
function wallAsUtc(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
}

function offsetAt(epochMs: number, timeZone: string): number {
  return wallAsUtc(wallClock(epochMs, timeZone)) - epochMs;
}

/**
 * The instant a (possibly denormalised, e.g. month 0 or day 31 of February) wall clock denotes in
 * `timeZone`. Overflowing fields roll over as Go's time.Date does, which restic's AddDate uses.
 */
export function instantOf(w: WallClock, timeZone: string): number {
  const asUtc = wallAsUtc(w);
  if (isUtc(timeZone)) return asUtc;
  // Two passes settle the offset except inside a DST gap, where the later offset wins.
  const first = asUtc - offsetAt(asUtc, timeZone);
  return asUtc - offsetAt(first, timeZone);
}

/** ISO 8601 week-numbering year and week (weeks start Monday; week 1 holds the first Thursday). */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = date + (3 - weekday) * DAY_MS;
  const isoYear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(isoYear, 0, 1)) / (7 * DAY_MS));
  return { year: isoYear, week };
}

/** A number naming the period (YYYYMMDDHH, YYYYMMDD, YYYYWW, YYYYMM or YYYY) a wall clock is in. */
export function periodKey(w: WallClock, unit: PeriodUnit): number {
  switch (unit) {
    case 'hour':
      return w.year * 1_000_000 + w.month * 10_000 + w.day * 100 + w.hour;
    case 'day':
      return w.year * 10_000 + w.month * 100 + w.day;
    case 'week': {
      const iso = isoWeek(w.year, w.month, w.day);
      return iso.year * 100 + iso.week;
    }
    case 'month':
      return w.year * 100 + w.month;
    case 'year':
      return w.year;
  }
}

/** A calendar duration as restic writes it: "1y2m3d4h". */
export interface CalendarDuration {
  years: number;
  months: number;
  days: number;
  hours: number;
}

const DURATION_PART = /(\d+)([ymdh])/g;
const DURATION_WHOLE = /^(\d+[ymdh])+$/;

/** Parses "2y5m7d3h" (any subset, any order); undefined when the text is not such a duration. */
export function parseCalendarDuration(text: string): CalendarDuration | undefined {
  if (!DURATION_WHOLE.test(text)) return undefined;
  const d: CalendarDuration = { years: 0, months: 0, days: 0, hours: 0 };
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) {
    const n = Number(amount);
    if (unit === 'y') d.years += n;
    else if (unit === 'm') d.months += n;
    else if (unit === 'd') d.days += n;
    else d.hours += n;
  }
  return d;
}

/** The instant `d` before `epochMs`: calendar years/months/days in `timeZone`, then absolute hours. */
export function subtractCalendar(epochMs: number, d: CalendarDuration, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  const shifted = instantOf(
    { ...w, year: w.year - d.years, month: w.month - d.months, day: w.day - d.days },
    timeZone,
  );
  return shifted - d.hours * HOUR_MS;
}

/** Canonical text of a duration, units in y m d h order, as restic prints it ("1y1m1d"). */
export function formatCalendarDuration(d: CalendarDuration): string {
  const parts: [number, string][] = [
    [d.years, 'y'],
    [d.months, 'm'],
    [d.days, 'd'],
    [d.hours, 'h'],
  ];
  const text = parts
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join('');
  return text || '0h';
}
