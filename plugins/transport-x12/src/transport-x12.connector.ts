import {
  ConnectorError,
  defineConnector,
  dropFolderAndSignedPush,
  PARTNER_DOCUMENT_EVENTS,
  sftpPickup,
} from '@tradelane/connector-sdk';
import {
  derivedControlNumbers,
  sendPartnerDocuments,
  seriesInterchange,
  ts997,
  ts999,
  writeOutboundFile,
  X12_PARTNER_DOCUMENTS,
  x12ConnectorRuntime,
  X12ControlNumbers,
  x12Documents,
  X12Mapper,
  X12Party,
  X12SetOut,
} from '@tradelane/connector-sdk/edi';
import type { OrderFulfilmentRequestedV1 } from '@tradelane/contracts';
import { ts204 } from './mapping/ts204.mapper';
import { ts210, ts310 } from './mapping/ts210.mapper';
import { ts214 } from './mapping/ts214.mapper';
import { ts990 } from './mapping/ts990.mapper';
import { write204, write990 } from './outbound/tender.writer';
import { TransportX12Config } from './transport-x12.config';

/** The transaction sets a carrier or a shipper's TMS sends, by ST01. */
export const TRANSPORT_X12_SETS: Readonly<Record<string, X12Mapper>> = {
  '204': ts204,
  '210': ts210,
  '214': ts214,
  '310': ts310,
  '990': ts990,
  '997': ts997,
  '999': ts999,
};

/**
 * Carriers' X12 (4010 / 5010) from a drop folder or signed HTTP push: 214 shipment status into
 * delivery status, 210 / 310 freight invoices, 204 load tenders as transport orders, 990 tender
 * responses; a 997 (or 999) back for every functional group, into outboundFolder.
 */
export const transportX12Connector = defineConnector<TransportX12Config>({
  id: 'transport-x12',
  kind: 'tms',
  version: '0.1.0',
  compatibility: '^1',
  description:
    'Carrier X12: 214 status, 210/310 freight invoices, 204 tenders, 990 responses in; 997/999, 204 tenders and 214/856/810/846 to partners out',
  configSchema: TransportX12Config,
  secrets: ['webhookSecret', 'sftpPassword', 'sftpPrivateKey'],
  folders: ['dropFolder', 'outboundFolder'],
  capabilities: {
    send: ['crm.order.fulfilment-requested.v1', ...PARTNER_DOCUMENT_EVENTS],
    documents: ['214', '856', '810', '846'],
    accept: [
      ...dropFolderAndSignedPush({
        what: 'X12 interchanges (one or more per file)',
        files: 'x12-files',
        push: 'x12',
      }),
      sftpPickup({ what: 'X12 interchanges' }),
    ],
  },
  create(config, context) {
    const numbers: X12ControlNumbers = context.edi?.controlNumber ?? derivedControlNumbers;
    const us: X12Party = { qualifier: config.interchangeQualifier, id: config.interchangeId };
    const interchange = (
      to: X12Party,
      functionalId: string,
      key: string,
      set: Omit<X12SetOut, 'control'>,
      at: Date,
    ) => seriesInterchange(numbers, { us, to, functionalId, key, at }, set);
    return {
      ...x12ConnectorRuntime(config, context, TRANSPORT_X12_SETS, async (result) => {
        if (config.tenderResponses !== 'accept') return [];
        const tenders = result.sets.filter((s) => s.set.type === '204');
        if (tenders.length && !config.scac)
          throw new ConnectorError(
            'config',
            'tenderResponses is accept but scac (ours, for B101) is not set',
            { field: 'scac' },
          );
        const out: { name: string; text: string }[] = [];
        for (const t of tenders) {
          const key = `990/${t.interchange.sender.id}/${t.interchange.control}/${t.set.control}`;
          const { text } = await interchange(
            t.interchange.sender,
            'GF',
            key,
            write990(t, config.scac as string, new Date()),
            new Date(),
          );
          out.push({
            name: `990_${t.interchange.sender.id}_${t.interchange.control}_${t.set.control}.x12`,
            text,
          });
        }
        return out;
      }),
      /**
       * A fulfilment request becomes a 204 load tender to the configured carrier in outboundFolder,
       * its control numbers from the host's series keyed by the event (a retry writes the same file);
       * a shipment, invoice or stock change, the 214 / 856 / 810 / 846 owed to trading partners (SendContext.documents).
       */
      async send(event, sent) {
        // A shipment, invoice or stock level changed: 214 / 856 / 810 / 846 to each partner owed one.
        if (event.type !== 'crm.order.fulfilment-requested.v1')
          return sendPartnerDocuments(config, context, x12Documents(us, X12_PARTNER_DOCUMENTS))(event, sent);
        if (!config.outboundFolder || !config.carrierId || !config.carrierScac)
          throw new ConnectorError(
            'config',
            'outboundFolder, carrierId and carrierScac must be set to tender loads (204) to a carrier',
            {
              field: !config.outboundFolder
                ? 'outboundFolder'
                : !config.carrierId
                  ? 'carrierId'
                  : 'carrierScac',
            },
          );
        const request = event.payload as OrderFulfilmentRequestedV1;
        const { isa, text } = await interchange(
          { qualifier: config.carrierQualifier, id: config.carrierId },
          'SM',
          event.id,
          write204(request, config.carrierScac),
          new Date(event.occurredAt),
        );
        const file = await writeOutboundFile(
          config.outboundFolder,
          `204_${request.orderExternalId}_${String(isa).padStart(9, '0')}.x12`,
          text,
        );
        context.log('info', `204 for order ${request.orderExternalId} written (ISA13 ${isa})`, { file });
      },
    };
  },
});
