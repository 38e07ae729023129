import { classifyTaxId, compactTaxId } from '@tradelane/contracts';
import { CustomerRecordData } from './customer-record.entity';

export interface Identifier {
  scheme: string;
  value: string;
}

/** What identity resolution does when two customers share an identifier of a scheme. */
export type MatchAction = 'auto' | 'propose' | 'off';
export type MatchRules = Record<string, MatchAction>;

/**
 * Strong identifiers merge automatically; weak ones (a normalised name with the postal code, an
 * e-mail domain) only propose a merge for a person to decide. `CRM_MATCH_RULES` overrides them.
 */
export const DEFAULT_MATCH_RULES: MatchRules = {
  vat: 'auto',
  // A tax id with its scheme and country (us_ein, cn_uscc, do_rnc...): equal in all three is the same company.
  'tax-id': 'auto',
  eori: 'auto',
  duns: 'auto',
  'erp-customer-no': 'auto',
  'name-postal': 'propose',
  'email-domain': 'propose',
};

/** Parses `CRM_MATCH_RULES`, e.g. `vat:auto,duns:off,email-domain:propose`, over the defaults. */
export function parseMatchRules(spec: string | undefined): MatchRules {
  const rules = { ...DEFAULT_MATCH_RULES };
  for (const part of (spec ?? '').split(',').map((s) => s.trim())) {
    if (!part) continue;
    const [scheme, action] = part.split(':').map((s) => s.trim());
    if (!scheme || !['auto', 'propose', 'off'].includes(action))
      throw new Error(`CRM_MATCH_RULES: "${part}" is not <scheme>:auto|propose|off`);
    rules[scheme] = action as MatchAction;
  }
  return rules;
}

/** Mail providers whose domain says nothing about the company. */
const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'aol.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  't-online.de',
  'orange.fr',
  'free.fr',
  'proton.me',
  'protonmail.com',
]);

const LEGAL_FORMS = new Set([
  'gmbh',
  'ag',
  'kg',
  'ohg',
  'ug',
  'ltd',
  'limited',
  'inc',
  'llc',
  'corp',
  'co',
  'plc',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'ab',
  'as',
  'oy',
  'the',
]);

/** Lower case, no accents, no punctuation, no legal form: "Alfreds Futterkiste GmbH" → "alfreds futterkiste". */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\./g, '') // "S.A." is "sa"
    .replace(/&/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w && !LEGAL_FORMS.has(w))
    .join(' ');
}

export const compact = (v: string): string => v.toUpperCase().replace(/[\s.\-/]/g, '');

/** Every identifier of one customer record version, normalised so equal means the same. */
export function identifiersOf(context: string, externalId: string, data: CustomerRecordData): Identifier[] {
  // The record's own id is searched through the record (crm_customer_record), not stored again here.
  const ids: Identifier[] = [];
  if (context === 'erp') ids.push({ scheme: 'erp-customer-no', value: externalId });
  // A VAT number matches as `vat`, compacted; one without a country prefix (an RNC, a CUIT...) is
  // qualified by the customer's country, so equal digits from two countries do not merge.
  const vat = (value: string) => {
    const v = compactTaxId(value);
    return /^[A-Z]{2}/.test(v) ? v : `${data.country ?? ''}:${v}`;
  };
  if (data.vatId) ids.push({ scheme: 'vat', value: vat(data.vatId) });
  // Explicit tax ids: VAT schemes as `vat`; any other as `tax-id` with its scheme and country.
  for (const t of data.taxIds ?? []) {
    const kind = classifyTaxId(t.value, t.scheme);
    if (kind === 'eu_vat' || kind === 'gb_vat' || kind === 'ch_uid')
      ids.push({ scheme: 'vat', value: vat(t.value) });
    else
      ids.push({
        scheme: 'tax-id',
        value: `${kind ?? ''}:${t.country ?? data.country ?? ''}:${compactTaxId(t.value)}`,
      });
  }
  if (data.eori) ids.push({ scheme: 'eori', value: compact(data.eori) });
  if (data.duns) ids.push({ scheme: 'duns', value: data.duns.replace(/\D/g, '') });
  for (const i of data.identifiers ?? [])
    ids.push({
      scheme: i.scheme,
      value: i.scheme === 'vat' || i.scheme === 'eori' ? compact(i.value) : i.value,
    });
  const emails = [data.email, ...(data.contacts ?? []).map((c) => c.email)].filter((e): e is string => !!e);
  for (const email of emails) {
    const lower = email.trim().toLowerCase();
    ids.push({ scheme: 'email', value: lower });
    const domain = lower.split('@')[1];
    if (domain && !FREE_MAIL.has(domain)) ids.push({ scheme: 'email-domain', value: domain });
  }
  const name = normaliseName(data.name);
  if (name && data.postalCode)
    ids.push({ scheme: 'name-postal', value: `${name}|${compact(data.postalCode)}` });
  const seen = new Set<string>();
  return ids.filter((i) => {
    const k = `${i.scheme}\u0000${i.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The forms a search term may take as an identifier value (as typed, VAT-compacted, lower case). */
export function searchValues(q: string): string[] {
  const t = q.trim();
  return [...new Set([t, compact(t), t.toLowerCase()])];
}
