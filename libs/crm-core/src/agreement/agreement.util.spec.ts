import { DEFAULT_AGREEMENT, effectiveAgreement, validateAgreementSettings } from './agreement.util';

describe('service agreements', () => {
  it('has the default targets of the issue', () => {
    expect(DEFAULT_AGREEMENT.targets).toMatchObject({
      on_time_delivery: 0.99,
      on_time_report_handling: 0.99,
      complaint_free: 0.98,
      damage_rate: 0.001,
      delivery_accuracy: 0.98,
      inventory_accuracy: 0.99,
    });
  });

  it('layers defaults ← tier ← customer per part and says where each came from', () => {
    const { settings, from } = effectiveAgreement(
      {
        targets: { on_time_delivery: 0.95 },
        sla: { high: { firstResponseMinutes: 120, resolutionMinutes: 600 } },
      },
      { targets: { on_time_delivery: 0.97, fill_rate: 0.9 }, shareScorecard: true },
    );
    expect(settings.targets.on_time_delivery).toBe(0.97);
    expect(settings.targets.fill_rate).toBe(0.9);
    expect(settings.targets.damage_rate).toBe(0.001);
    expect(settings.sla.high.firstResponseMinutes).toBe(120);
    expect(settings.sla.normal).toEqual(DEFAULT_AGREEMENT.sla.normal);
    expect(from).toEqual({
      'targets.on_time_delivery': 'customer',
      'targets.fill_rate': 'customer',
      'sla.high': 'tier',
      shareScorecard: 'customer',
    });
    expect(DEFAULT_AGREEMENT.targets.on_time_delivery).toBe(0.99); // not mutated
  });

  it.each([
    [{ targets: { speed: 1 } }, /targets.speed: unknown KPI/],
    [{ targets: { on_time_delivery: 99 } }, /share between 0 and 1/],
    [{ targets: { order_cycle_time: -1 } }, /hours >= 0/],
    [{ sla: { asap: {} } }, /sla.asap: unknown priority/],
    [{ sla: { high: { firstResponseMinutes: 0 } } }, /positive whole number/],
    [{ calendar: { zone: 'Mars/Olympus' } }, /calendar: .*zone/],
    [{ calendar: { holidays: ['24/12/2026'] } }, /holidays must be local dates/],
    [{ atRiskShare: 1 }, /atRiskShare/],
    [{ colour: 'red' }, /colour: unknown setting/],
  ])('refuses %j naming the field', (input, message) => {
    expect(() => validateAgreementSettings(input)).toThrow(message);
  });
});
