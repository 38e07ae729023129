import { Inject, Injectable } from '@nestjs/common';
import {
  Capabilities,
  documentRule,
  OwedDocument,
  PARTNER_DOCUMENTS,
  PartnerDocumentType,
} from '@tradelane/connector-sdk';
import { Envelope } from '@tradelane/contracts';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { CRM_RECORDS, CrmRecordsPort } from '../crm-records.port';
import { fromRow, toPartner } from './trading-partner.service';

/** A document noted as sent once its send succeeded (the register says what each partner was told). */
interface SentRow {
  tenant: string;
  trading_partner_id: string;
  document: string;
  record_id: string;
  fingerprint: string;
  event_id: string;
}

/** What one delivery owes: the documents to write, and what to note once they are written. */
export interface OwedDocuments {
  documents: OwedDocument[];
  sent: SentRow[];
}

const DOCUMENT_EVENTS = new Set<string>(Object.values(PARTNER_DOCUMENTS).map((d) => d.event));

/**
 * EDI documents to trading partners (214 / 856 / 810 / 846 and their EDIFACT twins). A partner
 * asks for them on its trading-partner settings (the partner organisation it is, the instance that
 * writes them, the documents); a crm.shipment|invoice|stock.changed.v1 event is owed only to the
 * instances some partner routes it to, and what each partner is sent is the record as the partner
 * API would show that partner (read under its scope: a record it may not see is never in one), and
 * only when the document's rule says something it was not told yet changed.
 */
@Injectable()
export class PartnerDocumentService {
  constructor(
    private readonly db: Database,
    @Inject(CRM_RECORDS) private readonly crm: CrmRecordsPort,
  ) {}

  /** Whether a connector's deliveries of this event type come only through trading partners. */
  static routedThroughPartners(capabilities: Capabilities, type: string): boolean {
    return (
      DOCUMENT_EVENTS.has(type) &&
      (capabilities.documents ?? []).some((d) => PARTNER_DOCUMENTS[d].event === type)
    );
  }

  static isDocumentEvent(type: string): boolean {
    return DOCUMENT_EVENTS.has(type);
  }

  /** `<instance> <event type>` pairs some active trading partner of these tenants routes documents through. */
  async routes(tx: EntityManager, tenants: string[]): Promise<Set<string>> {
    const rows: { outbound_instance_id: string; outbound_documents: PartnerDocumentType[] }[] =
      await tx.query(
        `SELECT outbound_instance_id, outbound_documents FROM edi_trading_partner
        WHERE tenant = ANY ($1) AND status = 'active' AND partner_id IS NOT NULL
          AND outbound_instance_id IS NOT NULL AND cardinality(outbound_documents) > 0`,
        [tenants],
      );
    return new Set(
      rows.flatMap((r) =>
        r.outbound_documents
          .filter((d) => d in PARTNER_DOCUMENTS)
          .map((d) => `${r.outbound_instance_id} ${PARTNER_DOCUMENTS[d].event}`),
      ),
    );
  }

  /**
   * The documents each of these events owes the trading partners sending through `instanceId`
   * (by event id). Reads outside any transaction: each record under its partner's own scope.
   */
  async owed(
    instance: { id: string; tenant: string },
    writes: readonly PartnerDocumentType[],
    events: Envelope[],
  ): Promise<Map<string, OwedDocuments>> {
    const out = new Map<string, OwedDocuments>();
    if (!events.length) return out;
    const rows = await this.db.sql<Record<string, unknown>>(
      `SELECT * FROM edi_trading_partner
        WHERE tenant = $1 AND outbound_instance_id = $2 AND status = 'active' AND partner_id IS NOT NULL
          AND outbound_documents && $3::text[]
        ORDER BY name, id`,
      [instance.tenant, instance.id, writes],
    );
    const partners = rows.map(fromRow).map((row) => ({ row, partner: toPartner(row) }));
    // What each partner was told last, per document and record; decisions in this batch count too
    // (two events of one shipment read the same record now: the second owes nothing new).
    const told = new Map<string, string>();
    const recordIds = [...new Set(events.map((e) => String((e.payload as { recordId?: string }).recordId)))];
    for (const r of await this.db.sql<{
      trading_partner_id: string;
      document: string;
      record_id: string;
      fingerprint: string;
    }>(
      `SELECT trading_partner_id, document, record_id, fingerprint FROM edi_document_sent
        WHERE tenant = $1 AND trading_partner_id = ANY ($2::uuid[]) AND record_id = ANY ($3::uuid[])`,
      [instance.tenant, partners.map((p) => p.partner.id), recordIds.filter(isUuid)],
    ))
      told.set(`${r.trading_partner_id} ${r.document} ${r.record_id}`, r.fingerprint);
    const seen = new Map<string, Promise<Record<string, unknown> | null>>();
    for (const e of events) {
      const { recordId } = e.payload as { recordId?: string };
      const owed: OwedDocuments = { documents: [], sent: [] };
      out.set(e.id, owed);
      if (!recordId || !isUuid(recordId)) continue;
      for (const { row, partner } of partners) {
        const asked = (row.outboundDocuments as PartnerDocumentType[]).filter(
          (d) => writes.includes(d) && PARTNER_DOCUMENTS[d]?.event === e.type,
        );
        for (const document of asked) {
          const rule = documentRule(document);
          const key = `${partner.id} ${rule.resource} ${recordId}`;
          if (!seen.has(key))
            seen.set(
              key,
              this.crm
                .partnerRecord(instance.tenant, String(row.partnerId), rule.resource, recordId, [rule.scope])
                // As the partner API answers it (times as ISO 8601 text): what the writers are given.
                .then((r) => (r ? (JSON.parse(JSON.stringify(r)) as Record<string, unknown>) : null)),
            );
          const record = await seen.get(key);
          if (!record || !rule.when(record)) continue;
          const fingerprint = rule.fingerprint(record);
          const toldKey = `${partner.id} ${document} ${recordId}`;
          if (told.get(toldKey) === fingerprint) continue;
          told.set(toldKey, fingerprint);
          owed.documents.push({ document, partner, record } as unknown as OwedDocument);
          owed.sent.push({
            tenant: instance.tenant,
            trading_partner_id: partner.id,
            document,
            record_id: recordId,
            fingerprint,
            event_id: e.id,
          });
        }
      }
    }
    return out;
  }

  /**
   * Of what a delivery owes, what is still owed inside the send's transaction: another sender may
   * have told the partner the same since the documents were read.
   */
  async stillOwed(tx: EntityManager, owed: OwedDocuments): Promise<OwedDocuments> {
    if (!owed.sent.length) return owed;
    const told: { k: string }[] = await tx.query(
      `SELECT s.trading_partner_id || ' ' || s.document || ' ' || s.record_id || ' ' || s.fingerprint AS k
         FROM edi_document_sent s
         JOIN jsonb_to_recordset($1::jsonb) AS t(trading_partner_id uuid, document text, record_id uuid)
           USING (trading_partner_id, document, record_id)`,
      [JSON.stringify(owed.sent)],
    );
    const done = new Set(told.map((r) => r.k));
    const keep = owed.sent.map(
      (r) => !done.has(`${r.trading_partner_id} ${r.document} ${r.record_id} ${r.fingerprint}`),
    );
    return {
      documents: owed.documents.filter((_, i) => keep[i]),
      sent: owed.sent.filter((_, i) => keep[i]),
    };
  }

  /** Notes the documents of a send as sent, in its transaction (a send that fails notes nothing). */
  async noteSent(tx: EntityManager, rows: SentRow[]): Promise<void> {
    if (!rows.length) return;
    await tx.query(
      `INSERT INTO edi_document_sent AS s (tenant, trading_partner_id, document, record_id, fingerprint, event_id)
       SELECT * FROM jsonb_to_recordset($1::jsonb)
                AS t(tenant text, trading_partner_id uuid, document text, record_id uuid, fingerprint text, event_id uuid)
       ON CONFLICT (trading_partner_id, document, record_id) DO UPDATE
         SET fingerprint = excluded.fingerprint, event_id = excluded.event_id, times = s.times + 1, sent_at = now()`,
      [JSON.stringify(rows)],
    );
  }
}

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
