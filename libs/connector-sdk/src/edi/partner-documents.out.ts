import type { Envelope } from '@tradelane/contracts';
import { ConnectorError } from '../connector.error';
import type { ConnectorContext, SendContext } from '../define-connector';
import type { EdiContext } from '../edi-context';
import type { OwedDocument, PartnerDocumentType } from '../partner-documents';
import { writeOutboundFile } from './edi.connector';
import { EdifactOut, envelopeEdifact } from './edifact/edifact.ack';
import { EdifactParty } from './edifact/edifact.envelope';
import { X12Party } from './x12/x12.envelope';
import { derivedControlNumbers } from './x12/x12.inbound';
import { seriesInterchange } from './x12/x12.series';
import { X12SetOut } from './x12/x12.writer';

/** How a connector writes one kind of document: the set / message, and the record's reference for the file name. */
export interface X12DocumentWriter {
  /** GS01: SM (214), SH (856), IN (810), IB (846). */
  functionalId: string;
  write(d: OwedDocument): Omit<X12SetOut, 'control'>;
}

export interface EdifactDocumentWriter {
  /** UNH S009: type, version, release, agency, association code (EANCOM: EAN…). */
  s009: string[];
  write(d: OwedDocument, reference: string): EdifactOut[];
}

/** What a document's file is called: `<document>_<partner id>_<record>_<control>.<ext>`, safe characters only. */
function fileName(d: OwedDocument, control: number, ext: string): string {
  const ref = 'externalId' in d.record ? d.record.externalId : `${d.record.warehouse}-${d.record.sku}`;
  const safe = (v: string) => v.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
  return `${d.document}_${safe(d.partner.interchangeId)}_${safe(ref)}_${String(control).padStart(9, '0')}.${ext}`;
}

/**
 * Writes the documents a send owes (SendContext.documents) into the outbound folder, one
 * interchange per document and partner. The control numbers come from the partner's series, keyed
 * by the event, the document and the partner, and the envelope's date is the event's: a retried
 * send writes the same file again, never a second number.
 */
export async function writePartnerDocuments(
  o: {
    folder: string | undefined;
    numbers?: EdiContext['controlNumber'];
    log: ConnectorContext['log'];
  },
  event: Envelope,
  documents: readonly OwedDocument[],
  write: (
    d: OwedDocument,
    numbers: EdiContext['controlNumber'],
    key: string,
    at: Date,
  ) => Promise<{ control: number; text: string; ext: string }>,
): Promise<void> {
  if (!documents.length) return;
  if (!o.folder)
    throw new ConnectorError(
      'config',
      'outboundFolder must be set to send trading partners their documents',
      {
        field: 'outboundFolder',
      },
    );
  for (const d of documents) {
    const key = `${event.id}/${d.document}/${d.partner.id}`;
    const out = await write(d, o.numbers ?? derivedControlNumbers, key, new Date(event.occurredAt));
    const file = await writeOutboundFile(o.folder, fileName(d, out.control, out.ext), out.text);
    o.log('info', `${d.document} for ${d.partner.name} written (control ${out.control})`, { file });
  }
}

/**
 * A connector's `send` for the documents it writes to trading partners: into its outboundFolder,
 * numbered from the host's series (derived ones outside a host).
 */
export function sendPartnerDocuments(
  config: { outboundFolder?: string },
  context: Pick<ConnectorContext, 'edi' | 'log'>,
  write: Parameters<typeof writePartnerDocuments>[3],
): (event: Envelope, sent: SendContext) => Promise<void> {
  return (event, sent) =>
    writePartnerDocuments(
      { folder: config.outboundFolder, numbers: context.edi?.controlNumber, log: context.log },
      event,
      sent.documents ?? [],
      write,
    );
}

/** The X12 side of {@link writePartnerDocuments}: one set per interchange, from us to the partner's ISA id. */
export function x12Documents(
  us: X12Party,
  writers: Partial<Record<PartnerDocumentType, X12DocumentWriter>>,
): Parameters<typeof writePartnerDocuments>[3] {
  return async (d, numbers, key, at) => {
    const w = writers[d.document];
    if (!w) throw new ConnectorError('config', `this connector does not write ${d.document} documents`);
    const { isa, text } = await seriesInterchange(
      numbers,
      {
        us,
        to: { qualifier: d.partner.qualifier, id: d.partner.interchangeId },
        functionalId: w.functionalId,
        key,
        at,
      },
      w.write(d),
    );
    return { control: isa, text, ext: 'x12' };
  };
}

/** The EDIFACT side: one message per interchange, numbered from the partner's UNB series. */
export function edifactDocuments(
  us: EdifactParty,
  writers: Partial<Record<PartnerDocumentType, EdifactDocumentWriter>>,
): Parameters<typeof writePartnerDocuments>[3] {
  return async (d, numbers, key, at) => {
    const w = writers[d.document];
    if (!w) throw new ConnectorError('config', `this connector does not write ${d.document} documents`);
    const control = await numbers(`edifact:${d.partner.id}:UNB`, key);
    const text = envelopeEdifact(
      { sender: us, recipient: { qualifier: d.partner.qualifier, id: d.partner.interchangeId }, control, at },
      [{ s009: w.s009, segments: w.write(d, String(control)) }],
    );
    return { control, text, ext: 'edi' };
  };
}
