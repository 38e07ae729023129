import { PartyRefV1 } from '@tradelane/contracts';

/** Party refs of a payload with their source filled in (the message's own source by default). */
export function resolveParties(parties: PartyRefV1[] | undefined, defaultSource: string): PartyRefV1[] {
  return (parties ?? []).map((p) => ({ ...p, customerSource: p.customerSource ?? defaultSource }));
}

/** The party roles of a written order or delivery as the party links store them. */
export function partiesOf(parties: PartyRefV1[]) {
  return parties.map((p) => ({
    role: p.role,
    source: p.customerSource as string,
    externalId: p.customerExternalId,
  }));
}
