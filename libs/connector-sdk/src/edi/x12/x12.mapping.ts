import type { PartyRefV1, PartyRole } from '@tradelane/contracts';
import { X12MapContext, X12MappingError } from './x12.inbound';
import { x12Number, x12Timestamp } from './x12.segments';
import { value, X12Loop, X12Positioned } from './x12.transaction';

/** N1 entity codes (element 98) → the party role a customer plays; codes not listed are not parties. */
export const N1_ROLES: Readonly<Record<string, PartyRole>> = {
  SH: 'shipper',
  SF: 'shipper',
  CN: 'consignee',
  ST: 'consignee',
  BT: 'bill-to',
  BY: 'customer',
  SU: 'supplier',
  VN: 'supplier',
  SE: 'supplier',
  N1: 'notify',
};

/** The N1 loops (in `loop`) with an id (N104) as party references, by N1_ROLES. */
export function partiesOf(loop: X12Loop, customerSource?: string): PartyRefV1[] {
  const out: PartyRefV1[] = [];
  for (const n1 of loop.loops('N1')) {
    const seg = n1.first('N1');
    const role = N1_ROLES[value(seg, 1) ?? ''];
    const id = value(seg, 4);
    if (role && id && !out.some((p) => p.role === role && p.customerExternalId === id))
      out.push({ role, customerExternalId: id, ...(customerSource ? { customerSource } : {}) });
  }
  return out;
}

/** The customer of a document: the trading partner's, else the N1 of one of `roles` with an id. */
export function customerOf(
  loop: X12Loop,
  ctx: X12MapContext,
  roles: readonly string[],
): { customerExternalId: string; customerSource?: string } {
  if (ctx.partner.customerExternalId)
    return {
      customerExternalId: ctx.partner.customerExternalId,
      ...(ctx.partner.customerSource ? { customerSource: ctx.partner.customerSource } : {}),
    };
  for (const role of roles) {
    const n1 = loop.loops('N1').find((l) => value(l.first('N1'), 1) === role);
    const id = value(n1?.first('N1'), 4);
    if (id) return { customerExternalId: id };
  }
  throw new X12MappingError(
    `no customer: trading partner ${ctx.partner.name} has no customerExternalId and no N1 ${roles.join('/')} carries an id (N104)`,
  );
}

/** A date element (and time element) of a segment as an ISO timestamp in the partner's zone. */
export function timestampOf(
  seg: X12Positioned | undefined,
  date: number,
  time: number | undefined,
  ctx: X12MapContext,
  timeCode?: number,
): string | undefined {
  const d = value(seg, date);
  if (!seg || !d) return undefined;
  return x12Timestamp(
    d,
    time ? value(seg, time) : undefined,
    timeCode ? value(seg, timeCode) : undefined,
    ctx.partner.timeZone,
  );
}

/** A numeric element (checked by the dictionary before mapping), or undefined. */
export function numberOf(
  seg: X12Positioned | undefined,
  n: number,
  type: 'N0' | 'N2' | 'R' = 'R',
): number | undefined {
  const v = value(seg, n);
  return v === undefined ? undefined : x12Number(v, type);
}

/** A mandatory value for the canonical record: missing is a mapping error naming the segment and element. */
export function required(seg: X12Positioned | undefined, n: number, what: string, tag = seg?.tag): string {
  const v = value(seg, n);
  if (v !== undefined) return v;
  const name = `${tag ?? ''}${String(n).padStart(2, '0')}`;
  if (!seg) throw new X12MappingError(`${name} (${what}) is missing: there is no ${tag} segment`);
  throw new X12MappingError(`${what} is missing`, seg, n, '1');
}

/**
 * The product id of a line segment that carries qualifier/id pairs from element `first` on
 * (PO106/PO107…, W0104/W0105…, LIN02/LIN03…): the id of the first qualifier in `preference` the
 * segment has, else its first pair's id.
 */
export function productIdOf(
  seg: X12Positioned,
  first: number,
  preference: readonly string[],
): string | undefined {
  const pairs: [string, string][] = [];
  for (let i = first; i + 1 < seg.elements.length; i += 2) {
    const [q, id] = [value(seg, i), value(seg, i + 1)];
    if (q && id) pairs.push([q, id]);
  }
  return preference.map((q) => pairs.find(([pq]) => pq === q)?.[1]).find(Boolean) ?? pairs[0]?.[1];
}
