/**
 * Tax identifiers from anywhere. The schemes whose format is published are checked; any other is
 * kept exactly as the source sent it (with its scheme and country when given) and only normalised
 * for matching, so an identifier Tradelane cannot classify never costs the customer.
 */
export const EU_VAT_PREFIXES = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'EL',
  'ES',
  'FI',
  'FR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
  'XI',
] as const;

/** Known schemes and the format of their (compacted: no blanks, dots, dashes, slashes) value. */
export const TAX_ID_FORMATS: Record<string, { description: string; pattern: RegExp }> = {
  eu_vat: {
    description: 'EU VAT number (VIES): country prefix and 2-12 characters',
    pattern: new RegExp(`^(${EU_VAT_PREFIXES.join('|')})[0-9A-Z+*]{2,12}$`),
  },
  gb_vat: {
    description: 'UK VAT number: GB and 9 or 12 digits, or GD/HA and 3 digits',
    pattern: /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
  },
  ch_uid: { description: 'Swiss UID: CHE and 9 digits', pattern: /^CHE\d{9}(MWST|TVA|IVA)?$/ },
  no_vat: {
    description: 'Norwegian organisation number: 9 digits, optionally NO...MVA',
    pattern: /^(NO)?\d{9}(MVA)?$/,
  },
  us_ein: { description: 'US Employer Identification Number: 9 digits', pattern: /^\d{9}$/ },
  cn_uscc: {
    description: 'Chinese Unified Social Credit Code: 18 characters',
    pattern: /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/,
  },
};
export const KNOWN_TAX_ID_SCHEMES = Object.keys(TAX_ID_FORMATS);

/** No blanks, dots, dashes or slashes, upper case: how tax ids are compared. */
export const compactTaxId = (v: string): string => v.toUpperCase().replace(/[\s.\-/]/g, '');

/**
 * What any tax id must be (the rest depends on its scheme): 1-64 printable characters (letters,
 * digits, blanks, . - / + *) with at least one digit; every published scheme numbers companies.
 */
export const TAX_ID_TEXT = /^(?=.*\p{N})[\p{L}\p{N}][\p{L}\p{N} .\-/+*]{0,63}$/u;

/** The scheme a value without one most likely is (EU and UK VAT are recognised by their prefix). */
export function classifyTaxId(value: string, scheme?: string): string | undefined {
  if (scheme) return scheme;
  const v = compactTaxId(value);
  if (TAX_ID_FORMATS.eu_vat.pattern.test(v)) return 'eu_vat';
  if (TAX_ID_FORMATS.gb_vat.pattern.test(v)) return 'gb_vat';
  if (TAX_ID_FORMATS.ch_uid.pattern.test(v)) return 'ch_uid';
  return undefined;
}

/** Why a value is not a valid id of its (known) scheme, or undefined when it is or the scheme is unknown. */
export function taxIdProblem(value: string, scheme?: string): string | undefined {
  const format = scheme ? TAX_ID_FORMATS[scheme] : undefined;
  if (!format || format.pattern.test(compactTaxId(value))) return undefined;
  return `is not a valid ${scheme}: ${format.description}`;
}
