import fc from 'fast-check';
import {
  changedFields,
  DEFAULT_SOURCE_PRIORITY,
  parseSourcePriority,
  RecordVersion,
  survive,
} from './survivorship.util';

const erp: RecordVersion = {
  source: 'erp-sap:de',
  context: 'erp',
  externalId: 'K1',
  at: '2026-01-01T00:00:00.000Z',
  data: {
    name: 'Acme GmbH',
    email: 'ap@acme.example',
    street: 'Kai 1',
    city: 'Hamburg',
    postalCode: '20457',
  },
};
const portal: RecordVersion = {
  source: 'portal-web:main',
  context: 'portal',
  externalId: 'web-9',
  at: '2026-02-01T00:00:00.000Z',
  data: { name: 'ACME', email: 'ops@acme.example', city: 'Bremen' },
};
const wms: RecordVersion = {
  source: 'wms-x12:dc1',
  context: 'wms',
  externalId: 'ACME',
  at: '2026-03-01T00:00:00.000Z',
  data: { name: 'acme', phone: '+49 40 1', duns: '150483782' },
};

describe('survive', () => {
  it('takes each field from the best source that has it, with its provenance', () => {
    const g = survive([wms, portal, erp], DEFAULT_SOURCE_PRIORITY);
    expect(g.values).toMatchObject({
      name: 'Acme GmbH',
      email: 'ops@acme.example',
      phone: '+49 40 1',
      duns: '150483782',
    });
    expect(g.provenance.name).toEqual({
      value: 'Acme GmbH',
      source: 'erp-sap:de',
      sourceId: 'K1',
      at: erp.at,
    });
    expect(g.provenance.email).toMatchObject({ source: 'portal-web:main', sourceId: 'web-9' });
    expect(g.provenance.duns).toMatchObject({ source: 'wms-x12:dc1', at: wms.at });
  });

  it('keeps an address whole: city does not come from one record and the street from another', () => {
    const g = survive([portal, erp], DEFAULT_SOURCE_PRIORITY);
    expect(g.values).toMatchObject({ street: 'Kai 1', city: 'Hamburg', postalCode: '20457', country: null });
    expect(g.provenance.country).toMatchObject({ value: null, source: 'erp-sap:de' });
  });

  it('follows configured priority: instance, connector or kind of system; newest wins among equals', () => {
    const p = parseSourcePriority('portal,erp', '{"name":["wms-x12"]}');
    const g = survive([erp, portal, wms], p);
    expect(g.provenance.name?.source).toBe('wms-x12:dc1');
    expect(g.provenance.city?.source).toBe('portal-web:main');
    const newer = { ...erp, externalId: 'K2', at: '2026-05-01T00:00:00.000Z', data: { name: 'Acme SE' } };
    expect(survive([erp, newer], DEFAULT_SOURCE_PRIORITY).values.name).toBe('Acme SE');
  });

  it('does not depend on the order of the records', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([erp, portal, wms], { minLength: 3, maxLength: 3 }), (records) => {
        expect(survive(records, DEFAULT_SOURCE_PRIORITY)).toEqual(
          survive([erp, portal, wms], DEFAULT_SOURCE_PRIORITY),
        );
      }),
    );
  });
});

describe('parseSourcePriority', () => {
  it('rejects unknown fields and malformed JSON', () => {
    expect(() => parseSourcePriority(undefined, '{"colour":["erp"]}')).toThrow(/unknown field "colour"/);
    expect(() => parseSourcePriority(undefined, 'email=portal')).toThrow(/must be JSON/);
  });
});

it('changedFields lists the fields whose value differs', () => {
  const after = survive([erp], DEFAULT_SOURCE_PRIORITY).values;
  expect(changedFields(null, after)).toEqual(['name', 'email', 'street', 'city', 'postalCode']);
  expect(changedFields({ ...after, city: 'Kiel' }, after)).toEqual(['city']);
});
