import {
  CanonicalRecord,
  checkDropFolder,
  ConnectorError,
  decodeUtf8,
  defineConnector,
  dropFolderAndSignedPush,
  NotUtf8Error,
  safeFilePath,
  verifySignedPush,
} from '@tradelane/connector-sdk';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { ErpSapIdocConfig } from './erp-sap-idoc.config';
import { sapCreated, toCanonicalAll } from './mapping/idoc.mapper';
import { Idoc, IdocError, parseFlatIdocs } from './mapping/idoc/idoc.parser';
import { IDOC_TYPES } from './mapping/idoc/idoc.segments';
import { parseXmlIdocs } from './mapping/idoc/idoc.xml';
import { writeAleaud, writeDebmas } from './outbound/idoc.writer';

/**
 * The event time of an IDoc's records: when SAP created it, else when the runtime took the payload
 * (`x-received-at`), so a redelivered payload yields the same records (and message ids).
 */
function createdAt(idoc: Idoc, receivedAt?: string): string {
  return sapCreated(idoc) ?? receivedAt ?? new Date().toISOString();
}

function decode(body: Buffer, encoding: 'utf8' | 'latin1'): string {
  if (encoding === 'latin1') return body.toString('latin1');
  try {
    return decodeUtf8(body);
  } catch (e) {
    if (!(e instanceof NotUtf8Error)) throw e;
    throw new ConnectorError(
      'permanent',
      `the IDoc is not valid UTF-8 (${e.message}); if this sender writes Latin-1, set encoding: latin1`,
      { field: 'encoding' },
    );
  }
}

const asConnectorError = (e: unknown): unknown =>
  e instanceof IdocError ? new ConnectorError('permanent', e.message, { field: e.where }) : e;

/** The IDocs of a file or push (flat or XML, by its first character). */
export function readIdocs(body: Buffer, encoding: 'utf8' | 'latin1'): Idoc[] {
  const text = decode(body, encoding);
  try {
    return /^\uFEFF?\s*</.test(text) ? parseXmlIdocs(text) : parseFlatIdocs(text);
  } catch (e) {
    throw asConnectorError(e);
  }
}

function recordsOf(idoc: Idoc, receivedAt?: string): CanonicalRecord[] {
  try {
    return toCanonicalAll(idoc).map((c): CanonicalRecord => ({
      ...c,
      key: c.payload.externalId,
      occurredAt: createdAt(idoc, receivedAt),
    }));
  } catch (e) {
    throw asConnectorError(e);
  }
}

/** Every IDoc of a file or push as canonical records; any error refuses the whole payload, naming where. */
export function idocRecords(
  body: Buffer,
  encoding: 'utf8' | 'latin1',
  receivedAt?: string,
  timeZone = 'UTC',
): CanonicalRecord[] {
  return readIdocs(body, encoding).flatMap((idoc) => recordsOf({ ...idoc, zone: timeZone }, receivedAt));
}

/** ALEAUD01 for the IDocs of one payload into the outbound folder (named after the first IDoc: idempotent). */
async function writeStatus(
  config: ErpSapIdocConfig,
  first: Idoc,
  states: { docnum: string; status: '51' | '53'; text: string }[],
): Promise<void> {
  const docnum = states[0].docnum.padStart(16, '0');
  const text = writeAleaud(
    {
      docnum: `9${docnum.slice(1)}`,
      sender: { port: config.senderPort, partner: config.senderPartner },
      receiver: {
        port: config.receiverPort ?? first.control.SNDPOR ?? 'SAP',
        partner: config.receiverPartner ?? first.control.SNDPRN ?? 'SAP',
      },
      ...(config.client ? { mandt: config.client } : {}),
      createdAt: new Date(createdAt(first)),
    },
    first.control.MESTYP ?? first.type,
    states,
  );
  // DOCNUM comes from the partner's file: made safe, and the path checked to stay in the folder.
  await writeAtomically(
    safeFilePath(config.outboundFolder as string, `ALEAUD_${docnum}.txt`),
    text,
    config.encoding,
  );
}

async function writeAtomically(file: string, text: string, encoding: BufferEncoding): Promise<void> {
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, text, encoding);
  await fs.rename(tmp, file); // SAP's file port never sees half a file
}

/**
 * SAP IDocs (flat file form) from SAP's file port (a drop folder) or pushed over HTTP: ORDERS05,
 * INVOIC02 and DEBMAS into canonical orders, invoices and customers.
 */
export const erpSapIdocConnector = defineConnector<ErpSapIdocConfig>({
  id: 'erp-sap-idoc',
  kind: 'erp',
  version: '0.1.0',
  compatibility: '^1',
  description:
    'SAP IDocs (ORDERS05, INVOIC02, DEBMAS, DELVRY03, SHPMNT05) from a file port drop folder or HTTP; DEBMAS07 and ALEAUD01 status back',
  configSchema: ErpSapIdocConfig,
  secrets: ['webhookSecret'],
  folders: ['dropFolder', 'outboundFolder'],
  capabilities: {
    send: ['crm.customer.created.v1', 'crm.customer.updated.v1'],
    accept: dropFolderAndSignedPush({
      what: 'IDocs (flat file or XML, one or more per file) as an SAP file port writes them',
      files: 'idoc-files',
      push: 'idoc',
    }),
  },
  create(config) {
    return {
      check: () => checkDropFolder(config.dropFolder),
      async discover() {
        return {
          streams: [],
          details: { idocTypes: Object.keys(IDOC_TYPES), dropFolder: config.dropFolder ?? null },
        };
      },
      verifySignature: (_channel, body, headers) => verifySignedPush(config.webhookSecret, body, headers),
      async accept(_channel, body, headers) {
        const idocs = readIdocs(body, config.encoding); // unreadable: there is no IDoc number to report on
        const records: CanonicalRecord[] = [];
        const states: { docnum: string; status: '51' | '53'; text: string }[] = [];
        let failure: unknown;
        for (const idoc of idocs) {
          try {
            records.push(...recordsOf({ ...idoc, zone: config.timeZone }, headers['x-received-at']));
            states.push({
              docnum: idoc.control.DOCNUM ?? '0',
              status: '53',
              text: 'taken into Tradelane CRM',
            });
          } catch (e) {
            failure ??= e;
            states.push({ docnum: idoc.control.DOCNUM ?? '0', status: '51', text: (e as Error).message });
          }
        }
        if (config.statusBack && config.outboundFolder) await writeStatus(config, idocs[0], states);
        if (failure) throw failure;
        return records;
      },
      /**
       * A CRM customer change SAP holds (a record of this instance = its KUNNR) becomes a DEBMAS in the
       * outbound folder, one file per event and customer (the IDoc number comes from the event id, so a
       * retry rewrites the same file). Customers SAP does not have are not created: SAP numbers them.
       */
      async send(event, context) {
        if (!config.outboundFolder)
          throw new ConnectorError('config', 'outboundFolder is not set: DEBMAS cannot be written', {
            field: 'outboundFolder',
          });
        const customer = context.customer;
        if (!customer?.records.length) return;
        const f = customer.fields;
        for (const r of customer.records) {
          const docnum = BigInt(
            `0x${createHash('sha256').update(`${event.id}/${r.externalId}`).digest('hex').slice(0, 13)}`,
          ).toString();
          let text: string;
          try {
            text = writeDebmas(
              {
                kunnr: r.externalId,
                name: f.name ?? r.externalId,
                ...(f.vatId ? { vatId: f.vatId } : {}),
                ...(f.street ? { street: f.street } : {}),
                ...(f.city ? { city: f.city } : {}),
                ...(f.postalCode ? { postalCode: f.postalCode } : {}),
                ...(f.country ? { country: f.country } : {}),
                ...(f.phone ? { phone: f.phone } : {}),
                ...(f.email ? { email: f.email } : {}),
              },
              {
                docnum,
                sender: { port: config.senderPort, partner: config.senderPartner },
                receiver: { port: config.receiverPort ?? 'SAP', partner: config.receiverPartner ?? 'SAP' },
                ...(config.client ? { mandt: config.client } : {}),
                createdAt: new Date(event.occurredAt),
              },
            );
          } catch (e) {
            throw new ConnectorError('permanent', `DEBMAS for ${r.externalId}: ${(e as Error).message}`, {
              field: 'DEBMAS',
            });
          }
          const file = safeFilePath(config.outboundFolder, `DEBMAS_${docnum.padStart(16, '0')}.txt`);
          await writeAtomically(file, text, config.encoding);
        }
      },
    };
  },
});
