import {
  addBusinessMinutes,
  BusinessCalendar,
  businessMinutesBetween,
  DEFAULT_CALENDAR,
} from './business-hours.util';

const cal: BusinessCalendar = { ...DEFAULT_CALENDAR, holidays: ['2026-12-25', '2026-12-28'] };
/** Local Amsterdam time as UTC: winter is UTC+1. */
const ams = (local: string) => new Date(`${local}+01:00`);

describe('addBusinessMinutes', () => {
  it('counts only working hours: Friday 17:00 + 2 h is Monday 09:00', () => {
    expect(addBusinessMinutes(ams('2026-11-20T17:00:00'), 120, cal)).toEqual(ams('2026-11-23T09:00:00'));
  });

  it('starts at opening time when the clock starts on a weekend or at night', () => {
    expect(addBusinessMinutes(ams('2026-11-21T11:00:00'), 60, cal)).toEqual(ams('2026-11-23T09:00:00')); // Saturday
    expect(addBusinessMinutes(ams('2026-11-24T22:30:00'), 30, cal)).toEqual(ams('2026-11-25T08:30:00'));
  });

  it('skips holidays: Thursday 17:00 before Christmas + 4 h skips Friday 25th and Monday 28th', () => {
    expect(addBusinessMinutes(ams('2026-12-24T17:00:00'), 240, cal)).toEqual(ams('2026-12-29T11:00:00'));
  });

  it('follows daylight saving: a day-long clock over the March change', () => {
    // Friday 27 March 2026 12:00 CET; + 10 business hours = Monday 30 March 12:00 CEST (UTC+2).
    expect(addBusinessMinutes(new Date('2026-03-27T11:00:00Z'), 600, cal)).toEqual(
      new Date('2026-03-30T10:00:00Z'),
    );
  });

  it('refuses a calendar it cannot use', () => {
    expect(() => addBusinessMinutes(new Date(), 1, { ...cal, zone: 'Mars/Olympus' })).toThrow(
      'is not a known time zone',
    );
    expect(() => addBusinessMinutes(new Date(), 1, { ...cal, open: '18:00', close: '08:00' })).toThrow(
      'opening before closing',
    );
  });
});

describe('businessMinutesBetween', () => {
  it('is the inverse over a weekend and a holiday', () => {
    expect(businessMinutesBetween(ams('2026-11-20T17:00:00'), ams('2026-11-23T09:00:00'), cal)).toBe(120);
    expect(businessMinutesBetween(ams('2026-12-24T17:00:00'), ams('2026-12-29T11:00:00'), cal)).toBe(240);
    expect(businessMinutesBetween(ams('2026-11-21T10:00:00'), ams('2026-11-22T20:00:00'), cal)).toBe(0);
    expect(businessMinutesBetween(ams('2026-11-23T10:00:00'), ams('2026-11-23T09:00:00'), cal)).toBe(0);
  });
});
