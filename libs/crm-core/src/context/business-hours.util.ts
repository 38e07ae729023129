import { DateTime } from 'luxon';

/**
 * A business calendar for SLA clocks: working days and hours in a time zone, and holidays. Time
 * outside them does not count. Luxon does the time-zone arithmetic (daylight-saving changes
 * included), which the platform's Date cannot.
 */
export interface BusinessCalendar {
  /** IANA zone, e.g. `Europe/Amsterdam`. */
  zone: string;
  /** ISO weekdays that are working days (1 = Monday ... 7 = Sunday). */
  workdays: number[];
  /** Opening and closing time, `HH:mm`, local. */
  open: string;
  close: string;
  /** Local dates `YYYY-MM-DD` that are not working days. */
  holidays: string[];
}

export const DEFAULT_CALENDAR: BusinessCalendar = {
  zone: 'Europe/Amsterdam',
  workdays: [1, 2, 3, 4, 5],
  open: '08:00',
  close: '18:00',
  holidays: [],
};

const MAX_DAYS = 3 * 366;

function window(day: DateTime, cal: BusinessCalendar): { from: DateTime; to: DateTime } | null {
  if (!cal.workdays.includes(day.weekday) || cal.holidays.includes(day.toISODate() as string)) return null;
  const [oh, om] = cal.open.split(':').map(Number);
  const [ch, cm] = cal.close.split(':').map(Number);
  return { from: day.set({ hour: oh, minute: om }), to: day.set({ hour: ch, minute: cm }) };
}

/** Throws naming what is wrong with a calendar (zone, hours, working days, holiday dates). */
export function validateCalendar(cal: BusinessCalendar): void {
  validate(cal);
  if (!Array.isArray(cal.workdays) || cal.workdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
    throw new Error('calendar workdays must be ISO weekdays 1 (Monday) to 7 (Sunday)');
  if (!Array.isArray(cal.holidays) || cal.holidays.some((h) => !/^\d{4}-\d{2}-\d{2}$/.test(h)))
    throw new Error('calendar holidays must be local dates YYYY-MM-DD');
}

function validate(cal: BusinessCalendar): void {
  if (!DateTime.now().setZone(cal.zone).isValid)
    throw new Error(`calendar zone "${cal.zone}" is not a known time zone`);
  if (!/^\d{2}:\d{2}$/.test(cal.open) || !/^\d{2}:\d{2}$/.test(cal.close) || cal.open >= cal.close)
    throw new Error(`calendar hours ${cal.open}-${cal.close} must be HH:mm, opening before closing`);
  if (!cal.workdays.length) throw new Error('calendar has no working day');
}

/** When a clock started at `start` with `minutes` of business time runs out. */
export function addBusinessMinutes(
  start: Date,
  minutes: number,
  cal: BusinessCalendar = DEFAULT_CALENDAR,
): Date {
  validate(cal);
  let left = minutes;
  let cursor = DateTime.fromJSDate(start, { zone: cal.zone });
  for (let i = 0; i < MAX_DAYS; i++) {
    const w = window(cursor.startOf('day'), cal);
    if (w && cursor < w.to) {
      const from = cursor > w.from ? cursor : w.from;
      const available = w.to.diff(from, 'minutes').minutes;
      if (left <= available) return from.plus({ minutes: left }).toJSDate();
      left -= available;
    }
    cursor = cursor.startOf('day').plus({ days: 1 });
  }
  throw new Error(`no ${minutes} business minutes within ${MAX_DAYS} days of ${start.toISOString()}`);
}

/** Business minutes between two instants (0 when `end` is not after `start`). */
export function businessMinutesBetween(
  start: Date,
  end: Date,
  cal: BusinessCalendar = DEFAULT_CALENDAR,
): number {
  validate(cal);
  const stop = DateTime.fromJSDate(end, { zone: cal.zone });
  let cursor = DateTime.fromJSDate(start, { zone: cal.zone });
  let total = 0;
  for (let i = 0; i < MAX_DAYS && cursor < stop; i++) {
    const w = window(cursor.startOf('day'), cal);
    if (w) {
      const from = cursor > w.from ? cursor : w.from;
      const to = stop < w.to ? stop : w.to;
      if (to > from) total += to.diff(from, 'minutes').minutes;
    }
    cursor = cursor.startOf('day').plus({ days: 1 });
  }
  return Math.round(total * 1000) / 1000;
}
