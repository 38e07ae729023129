import { identifiersOf, normaliseName, parseMatchRules, searchValues } from './identifier.util';

describe('normaliseName', () => {
  it('drops case, accents, punctuation and legal forms', () => {
    expect(normaliseName('Alfreds Futterkiste GmbH')).toBe('alfreds futterkiste');
    expect(normaliseName('  Société Générale S.A. ')).toBe('societe generale');
    expect(normaliseName('Speedy & Co. KG')).toBe('speedy');
  });
});

describe('identifiersOf', () => {
  it('normalises VAT, EORI and DUNS so that equal means the same party', () => {
    const ids = identifiersOf('erp', 'K100', {
      name: 'Acme Logistik GmbH',
      vatId: 'DE811.907.980',
      eori: 'de 811907980 00000',
      duns: '15-048-3782',
      postalCode: '20 457',
      email: 'AP@Acme.example',
      identifiers: [{ scheme: 'tms-shipper-code', value: 'ACM01' }],
    });
    expect(ids).toEqual([
      { scheme: 'erp-customer-no', value: 'K100' },
      { scheme: 'vat', value: 'DE811907980' },
      { scheme: 'eori', value: 'DE81190798000000' },
      { scheme: 'duns', value: '150483782' },
      { scheme: 'tms-shipper-code', value: 'ACM01' },
      { scheme: 'email', value: 'ap@acme.example' },
      { scheme: 'email-domain', value: 'acme.example' },
      { scheme: 'name-postal', value: 'acme logistik|20457' },
    ]);
  });

  it('gives no e-mail domain for free mail providers, and only ERP records an ERP customer number', () => {
    const ids = identifiersOf('portal', 'web-1', { name: 'Jo', email: 'jo@gmail.com' });
    expect(ids.map((i) => i.scheme)).toEqual(['email']);
  });

  it('collects contact e-mails, once each', () => {
    const ids = identifiersOf('email', 'x', {
      name: 'X',
      email: 'a@x.example',
      contacts: [
        { name: 'A', email: 'A@x.example' },
        { name: 'B', email: 'b@x.example' },
      ],
    });
    expect(ids.filter((i) => i.scheme.startsWith('email'))).toEqual([
      { scheme: 'email', value: 'a@x.example' },
      { scheme: 'email-domain', value: 'x.example' },
      { scheme: 'email', value: 'b@x.example' },
    ]);
  });
});

describe('parseMatchRules', () => {
  it('overrides the defaults and rejects what it cannot read', () => {
    expect(parseMatchRules('duns:off, email-domain:auto')).toMatchObject({
      vat: 'auto',
      duns: 'off',
      'email-domain': 'auto',
      'name-postal': 'propose',
    });
    expect(() => parseMatchRules('vat:always')).toThrow(/"vat:always" is not <scheme>:auto\|propose\|off/);
  });
});

it('searchValues tries the term as typed, VAT-compacted and lower-cased', () => {
  expect(searchValues(' DE 811.907.980 ')).toEqual(['DE 811.907.980', 'DE811907980', 'de 811.907.980']);
});

it('qualifies a VAT number without a country prefix by the country, and keeps other schemes with theirs', () => {
  const ids = identifiersOf('erp', 'P-7', {
    name: 'Distribuidora Caribe SRL',
    vatId: '1-01-12345-6',
    country: 'DO',
    taxIds: [{ scheme: 'us_ein', country: 'US', value: '12-3456789' }, { value: 'ESB12345678' }],
  });
  expect(ids).toEqual(
    expect.arrayContaining([
      { scheme: 'vat', value: 'DO:101123456' },
      { scheme: 'tax-id', value: 'us_ein:US:123456789' },
      { scheme: 'vat', value: 'ESB12345678' },
    ]),
  );
});
