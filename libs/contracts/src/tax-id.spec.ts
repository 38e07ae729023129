import { createEnvelope } from './envelope.factory';
import { fastValidator, InvalidMessageError, parseEnvelope } from './message.validation';
import { classifyTaxId, taxIdProblem } from './tax-id';

const customer = (payload: object) =>
  createEnvelope({
    type: 'erp.customer.upserted.v1',
    source: 'erp-odoo:do',
    key: 'P-7',
    payload: { externalId: 'P-7', name: 'Distribuidora Caribe SRL', ...payload } as never,
  });

/** Both validation paths agree: the fast one (JSON Schema) and the authority (class-validator). */
function accepted(e: ReturnType<typeof customer>): boolean {
  const fast = fastValidator(e.type)?.(JSON.parse(JSON.stringify(e)));
  let authority = true;
  try {
    parseEnvelope(JSON.stringify(e));
  } catch (err) {
    if (!(err instanceof InvalidMessageError)) throw err;
    authority = false;
  }
  expect(fast).toBe(authority);
  return authority;
}

describe('tax ids from outside the EU', () => {
  it.each([
    ['a Dominican RNC with dashes', { vatId: '1-01-12345-6' }],
    ['an RNC compacted (as the Odoo mapper sends it)', { vatId: '101123456' }],
    ['a US EIN', { taxIds: [{ scheme: 'us_ein', country: 'US', value: '12-3456789' }] }],
    [
      'an unknown scheme, kept as sent',
      { taxIds: [{ scheme: 'do_rnc', country: 'DO', value: '1-01-12345-6' }] },
    ],
    ['a Chinese USCC', { taxIds: [{ scheme: 'cn_uscc', value: '91350100M000100Y43' }] }],
    ['an EU VAT number', { vatId: 'DE811.907.980' }],
  ])('keeps %s and the customer', (_what, payload) => {
    expect(accepted(customer(payload))).toBe(true);
  });

  it('checks a known scheme and names the field, the scheme and its format', () => {
    const e = customer({ taxIds: [{ scheme: 'us_ein', value: '12-34567' }] });
    expect(accepted(e)).toBe(false);
    try {
      parseEnvelope(JSON.stringify(e));
    } catch (err) {
      expect(err).toMatchObject({ field: 'payload.taxIds.0.value' });
      expect((err as Error).message).toMatch(
        /value is not a valid us_ein: US Employer Identification Number: 9 digits/,
      );
    }
  });

  it('refuses only what is not a tax id at all (control characters, 65+ characters, no digit)', () => {
    expect(accepted(customer({ vatId: 'not a vat id' }))).toBe(false);
    expect(accepted(customer({ vatId: 'RNC\u0000' }))).toBe(false);
    expect(accepted(customer({ vatId: '1'.repeat(65) }))).toBe(false);
  });

  it('classifies EU, UK and Swiss VAT by their prefix and leaves the rest unclassified', () => {
    expect(classifyTaxId('DE 811 907 980')).toBe('eu_vat');
    expect(classifyTaxId('GB123456789')).toBe('gb_vat');
    expect(classifyTaxId('CHE-123.456.789 MWST')).toBe('ch_uid');
    expect(classifyTaxId('1-01-12345-6')).toBeUndefined();
    expect(taxIdProblem('1-01-12345-6', 'do_rnc')).toBeUndefined();
    expect(taxIdProblem('FR1', 'eu_vat')).toMatch(/not a valid eu_vat/);
  });
});
