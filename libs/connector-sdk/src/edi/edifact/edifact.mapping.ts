import type { PartyRefV1, PartyRole } from '@tradelane/contracts';
import { EdifactMapContext, EdifactMappingError } from './edifact.inbound';
import { edifactDate, EdifactLoop, EdifactPositioned, edifactValue } from './edifact.message';

/** NAD party function qualifiers (3035) → the role a customer plays; others are not customer parties. */
export const NAD_ROLES: Readonly<Record<string, PartyRole>> = {
  BY: 'customer',
  CZ: 'shipper',
  SH: 'shipper',
  CN: 'consignee',
  DP: 'consignee',
  ST: 'consignee',
  UC: 'consignee',
  IV: 'bill-to',
  BT: 'bill-to',
  SU: 'supplier',
  SE: 'supplier',
  NI: 'notify',
};

/** Every NAD (in `loop` and its groups) with an id (C082 3039) as a party reference. */
export function edifactParties(loop: EdifactLoop, customerSource?: string): PartyRefV1[] {
  const nads = [...loop.all('NAD'), ...loop.children.flatMap((c) => c.all('NAD'))];
  const out: PartyRefV1[] = [];
  for (const nad of nads) {
    const role = NAD_ROLES[edifactValue(nad, 1) ?? ''];
    const id = edifactValue(nad, 2);
    if (role && id && !out.some((p) => p.role === role && p.customerExternalId === id))
      out.push({ role, customerExternalId: id, ...(customerSource ? { customerSource } : {}) });
  }
  return out;
}

/** The customer of a message: the trading partner's, else the NAD of one of `roles` with an id. */
export function edifactCustomer(
  loop: EdifactLoop,
  ctx: EdifactMapContext,
  roles: readonly string[],
): { customerExternalId: string; customerSource?: string } {
  if (ctx.partner.customerExternalId)
    return {
      customerExternalId: ctx.partner.customerExternalId,
      ...(ctx.partner.customerSource ? { customerSource: ctx.partner.customerSource } : {}),
    };
  const nads = [...loop.all('NAD'), ...loop.children.flatMap((c) => c.all('NAD'))];
  for (const role of roles) {
    const id = edifactValue(
      nads.find((n) => edifactValue(n, 1) === role),
      2,
    );
    if (id) return { customerExternalId: id };
  }
  throw new EdifactMappingError(
    `no customer: trading partner ${ctx.partner.name} has no customerExternalId and no NAD ${roles.join('/')} carries an id`,
    undefined,
    undefined,
    undefined,
    '13',
  );
}

/** The first DTM of one of `qualifiers` (2005) in `loop`, as ISO (checked by readMessage before). */
export function edifactDateOf(
  loop: EdifactLoop,
  qualifiers: readonly string[],
  ctx: EdifactMapContext,
): string | undefined {
  for (const q of qualifiers) {
    const iso = edifactDate(
      loop.all('DTM').find((d) => edifactValue(d, 1, 0) === q),
      ctx.partner.timeZone,
    ).iso;
    if (iso) return iso;
  }
  return undefined;
}

/** A mandatory value: missing is an application error naming segment and element (APERAK). */
export function edifactRequired(
  seg: EdifactPositioned | undefined,
  element: number,
  component: number,
  what: string,
  tag: string,
): string {
  const v = edifactValue(seg, element, component);
  if (v) return v;
  if (!seg)
    throw new EdifactMappingError(
      `${what} is missing: there is no ${tag} segment`,
      undefined,
      undefined,
      undefined,
      '13',
    );
  throw new EdifactMappingError(`${what} is missing`, seg, element, component + 1, '13');
}
