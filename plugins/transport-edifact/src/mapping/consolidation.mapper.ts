import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  edifactDateOf,
  EdifactLoop,
  EdifactMapContext,
  EdifactMapper,
  EdifactMappingError,
  EdifactMessageSpec,
  edifactValue,
  NAD_ROLES,
} from '@tradelane/connector-sdk/edi';
import type { DeliveryStatusChangedV1, PackageV1, PartyRefV1 } from '@tradelane/contracts';

/** IFCSUM: header (BGM, DTM, CNT, NAD, TDT), then CNI consignments with their NAD, RFF and GID goods. */
export const IFCSUM: EdifactMessageSpec = {
  type: 'IFCSUM',
  name: 'Forwarding and consolidation summary',
  body: {
    id: 'header',
    segments: ['BGM', 'DTM', 'MOA', 'CNT', 'TSR', 'FTX', 'RFF', 'NAD', 'CTA', 'COM', 'TDT', 'LOC', 'EQD'],
    groups: [
      {
        id: 'CNI',
        start: 'CNI',
        segments: ['DTM', 'CNT', 'TSR', 'NAD', 'RFF', 'LOC', 'FTX', 'TCC', 'MOA'],
        groups: [
          {
            id: 'GID',
            start: 'GID',
            segments: [
              'HAN',
              'TMP',
              'RNG',
              'TMD',
              'LOC',
              'MOA',
              'PIA',
              'FTX',
              'PCI',
              'GIN',
              'MEA',
              'DIM',
              'RFF',
              'SGP',
            ],
          },
        ],
      },
    ],
  },
};

/** An id as senders write it: without the stray trailing dots some systems pad GLNs with. */
const id = (v: string | undefined) => v?.replace(/\.+$/, '') || undefined;

/**
 * IFCSUM → one `delivery.status-changed` per consignment (CNI): the consignment C503 1373, despatched
 * (PICKED_UP) on the message's DTM 11, else PLANNED; delivery requested DTM 2 as the promise; the
 * order its RFF ON / DQ (delivery note); packages from GID (the SSCC in the first composite's second
 * component); parties: consignor NAD CZ (header) and the consignment's NAD, carrier NAD CA.
 */
export const ifcsum: EdifactMapper = {
  spec: IFCSUM,
  produces: 'delivery.status-changed',
  map(body: EdifactLoop, ctx: EdifactMapContext): CanonicalRecord[] {
    const consignments = body.groups('CNI');
    if (!consignments.length) throw new EdifactMappingError('the summary carries no consignment (CNI)');
    const despatched = edifactDateOf(body, ['11'], ctx);
    const carrier = id(edifactValue(body.first('NAD', 'CA'), 2));
    const consignor = id(edifactValue(body.first('NAD', 'CZ'), 2));
    return consignments.map((cni) => {
      const seg = cni.first('CNI');
      const externalId = edifactValue(seg, 2, 0) ?? edifactValue(seg, 1);
      if (!externalId)
        throw new EdifactMappingError('the consignment has no number (CNI C503)', seg, 2, 1, '13');
      const order = cni.value('RFF', 1, 1, 'ON') ?? cni.value('RFF', 1, 1, 'DQ');
      const promised = edifactDateOf(cni, ['2', '17'], ctx);
      const packages: PackageV1[] = cni
        .groups('GID')
        .map((g) => edifactValue(g.first('GID'), 2, 1))
        .filter((v, i, all): v is string => !!v && all.indexOf(v) === i) // one pallet, several products
        .map((ref) => ({ ref, ...(/^\d{18}$/.test(ref) ? { type: 'SSCC' } : {}) }));
      const parties: PartyRefV1[] = [];
      const add = (role: PartyRefV1['role'] | undefined, customer: string | undefined) => {
        if (role && customer && !parties.some((p) => p.role === role && p.customerExternalId === customer))
          parties.push({
            role,
            customerExternalId: customer,
            ...(ctx.partner.customerSource ? { customerSource: ctx.partner.customerSource } : {}),
          });
      };
      add('shipper', consignor);
      for (const nad of cni.all('NAD')) add(NAD_ROLES[edifactValue(nad, 1) ?? ''], id(edifactValue(nad, 2)));
      const customer = ctx.partner.customerExternalId ?? consignor;
      const at = despatched ?? ctx.sentAt;
      const payload: DeliveryStatusChangedV1 = {
        externalId,
        status: despatched ? 'PICKED_UP' : 'PLANNED',
        sourceStatus: `IFCSUM ${edifactValue(body.first('BGM'), 2) ?? ''}`.trim().slice(0, 100),
        ...(order
          ? { orderExternalId: order, ...(ctx.orderSource ? { orderSource: ctx.orderSource } : {}) }
          : {}),
        ...(customer
          ? {
              customerExternalId: customer,
              ...(ctx.partner.customerExternalId && ctx.partner.customerSource
                ? { customerSource: ctx.partner.customerSource }
                : {}),
            }
          : {}),
        ...(parties.length ? { parties } : {}),
        ...(carrier ? { carrier } : {}),
        ...(promised ? { promisedTo: promised } : {}),
        ...(despatched ? { pickedUpAt: despatched } : {}),
        ...(packages.length ? { packages } : {}),
      };
      if (!payload.orderExternalId && !payload.customerExternalId)
        throw new EdifactMappingError(
          'the consignment names neither its order (RFF ON/DQ) nor a consignor with an id',
          seg,
        );
      return { type: 'delivery.status-changed', key: externalId, occurredAt: at, payload };
    });
  },
};
