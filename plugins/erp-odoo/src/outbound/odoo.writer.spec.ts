import { ConnectorError } from '@tradelane/connector-sdk';
import { assertUnchanged, partnerValues } from './odoo.writer';

describe('writing customers back to Odoo', () => {
  const fields = {
    name: 'Gemini',
    vatId: 'US123',
    email: 'ap@gemini.example',
    phone: null,
    city: 'Fairfield',
  };

  it('writes the changed fields Odoo does not own, a cleared one as false', () => {
    expect(partnerValues(fields, ['name', 'email', 'phone'], ['name', 'vatId'])).toEqual({
      email: 'ap@gemini.example',
      phone: false,
    });
    expect(partnerValues(fields, ['name'], ['name', 'vatId'])).toEqual({});
    expect(partnerValues(fields, null, [])).toEqual({
      name: 'Gemini',
      vat: 'US123',
      email: 'ap@gemini.example',
      phone: false,
      city: 'Fairfield',
    });
  });

  it('refuses to overwrite a partner changed in Odoo after the CRM read it', () => {
    const read = { externalId: '11', sourceUpdatedAt: '2026-11-03T14:30:12.000Z' };
    expect(() => assertUnchanged({ id: 11, write_date: '2026-11-03 14:30:12' }, read, {})).not.toThrow();
    let err: unknown;
    try {
      assertUnchanged({ id: 11, write_date: '2026-11-03 14:30:13' }, read, { email: 'x@y.example' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'conflict', field: 'res.partner[11]' });
    expect((err as Error).message).toMatch(
      /changed in Odoo at 2026-11-03T14:30:13.000Z, after the CRM read it/,
    );
  });
});
