import { CustomerRecordData } from './customer-record.entity';
import { CUSTOMER_FIELDS, CustomerField, FieldProvenance } from './customer.entity';

/** Field groups that survive together: an address is taken whole from one record. */
const GROUPS: CustomerField[][] = [
  ['name'],
  ['vatId'],
  ['eori'],
  ['duns'],
  ['email'],
  ['phone'],
  ['street', 'city', 'postalCode', 'country'],
];

/**
 * Which sources win, per field: entries are a connector instance (`erp-sap:de`), a connector id
 * (`erp-sap`) or a kind of system (`erp`); earlier wins, unlisted sources come last.
 */
export interface SourcePriority {
  default: string[];
  fields: Partial<Record<CustomerField, string[]>>;
}

export const DEFAULT_SOURCE_PRIORITY: SourcePriority = {
  default: ['erp', 'portal', 'tms', 'wms', 'email'],
  fields: {
    email: ['portal', 'erp', 'email', 'tms', 'wms'],
    phone: ['portal', 'erp', 'email', 'tms', 'wms'],
  },
};

/** `CRM_SOURCE_PRIORITY` (comma list) and `CRM_FIELD_PRIORITY` (JSON `{ "email": ["portal", "erp"] }`). */
export function parseSourcePriority(defaults?: string, fields?: string): SourcePriority {
  const p: SourcePriority = {
    default: DEFAULT_SOURCE_PRIORITY.default,
    fields: { ...DEFAULT_SOURCE_PRIORITY.fields },
  };
  if (defaults)
    p.default = defaults
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (fields) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fields);
    } catch {
      throw new Error('CRM_FIELD_PRIORITY must be JSON, e.g. {"email":["portal","erp"]}');
    }
    for (const [field, list] of Object.entries(parsed as Record<string, unknown>)) {
      if (!(CUSTOMER_FIELDS as readonly string[]).includes(field))
        throw new Error(
          `CRM_FIELD_PRIORITY: unknown field "${field}" (one of ${CUSTOMER_FIELDS.join(', ')})`,
        );
      if (!Array.isArray(list) || !list.every((s) => typeof s === 'string'))
        throw new Error(`CRM_FIELD_PRIORITY: "${field}" must be a list of sources`);
      p.fields[field as CustomerField] = list;
    }
  }
  return p;
}

/** One source version of a customer, as survivorship sees it. */
export interface RecordVersion {
  source: string;
  context: string;
  externalId: string;
  data: CustomerRecordData;
  /** Event time (ISO). */
  at: string;
}

export interface Golden {
  values: Record<CustomerField, string | null>;
  provenance: Partial<Record<CustomerField, FieldProvenance>>;
}

function rank(list: string[], r: RecordVersion): number {
  const connector = r.source.split(':')[0];
  const i = list.findIndex((e) => e === r.source || e === connector || e === r.context);
  return i < 0 ? list.length : i;
}

/** Better first: priority, then newest event, then source and id (so the result never depends on order). */
function compare(list: string[]) {
  return (a: RecordVersion, b: RecordVersion): number =>
    rank(list, a) - rank(list, b) ||
    Date.parse(b.at) - Date.parse(a.at) ||
    a.source.localeCompare(b.source) ||
    a.externalId.localeCompare(b.externalId);
}

/**
 * The unified customer from its records: per field group, the value of the best record that has
 * one, with its provenance. A pure function of the set of records, so any arrival order of the
 * same events gives the same customer.
 */
export function survive(records: RecordVersion[], priority: SourcePriority): Golden {
  const values = Object.fromEntries(CUSTOMER_FIELDS.map((f) => [f, null])) as Record<
    CustomerField,
    string | null
  >;
  const provenance: Golden['provenance'] = {};
  for (const group of GROUPS) {
    const list = priority.fields[group[0]] ?? priority.default;
    const best = [...records]
      .sort(compare(list))
      .find((r) => group.some((f) => (r.data as Record<string, unknown>)[f] != null));
    if (!best) continue;
    for (const f of group) {
      const v = (best.data as Record<string, unknown>)[f];
      values[f] = v == null ? null : String(v);
      provenance[f] = { value: values[f], source: best.source, sourceId: best.externalId, at: best.at };
    }
  }
  return { values, provenance };
}

/** Fields whose value differs between two versions of the unified customer. */
export function changedFields(
  before: Partial<Record<CustomerField, string | null>> | null,
  after: Record<CustomerField, string | null>,
): CustomerField[] {
  return CUSTOMER_FIELDS.filter((f) => (before?.[f] ?? null) !== after[f]);
}
