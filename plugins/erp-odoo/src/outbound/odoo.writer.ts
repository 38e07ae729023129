import { ConnectorError, SourceRecordRef } from '@tradelane/connector-sdk';
import { odooTime } from '../mapping/odoo.mapper';

/** CRM customer field → res.partner field. */
export const PARTNER_FIELDS: Record<string, string> = {
  name: 'name',
  vatId: 'vat',
  email: 'email',
  phone: 'phone',
  street: 'street',
  city: 'city',
  postalCode: 'zip',
};

/** The res.partner values for the changed CRM fields Odoo does not own (null clears: Odoo's false). */
export function partnerValues(
  fields: Record<string, string | null>,
  changed: string[] | null,
  owned: string[],
): Record<string, string | false> {
  const out: Record<string, string | false> = {};
  for (const [crm, odoo] of Object.entries(PARTNER_FIELDS)) {
    if (owned.includes(crm) || (changed && !changed.includes(crm)) || !(crm in fields)) continue;
    out[odoo] = fields[crm] ?? false;
  }
  return out;
}

/**
 * Optimistic concurrency: the partner's write_date now must not be later than the version the CRM
 * last read (the record's source time). Otherwise a person changed it in Odoo meanwhile, and the CRM
 * does not overwrite that: a `conflict` with both times and what it would have written.
 */
export function assertUnchanged(
  partner: { id: number; write_date: unknown },
  read: SourceRecordRef,
  values: object,
): void {
  const now = odooTime(partner.write_date, `res.partner[${partner.id}].write_date`);
  if (now && Date.parse(now) > Date.parse(read.sourceUpdatedAt))
    throw new ConnectorError(
      'conflict',
      `res.partner ${partner.id} was changed in Odoo at ${now}, after the CRM read it (${read.sourceUpdatedAt}): not overwritten; the CRM would write ${JSON.stringify(values)}`,
      { field: `res.partner[${partner.id}]` },
    );
}
