import { isolateTenants } from '@tradelane/access';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * EDI documents to trading partners (214 / 856 / 810 / 846, IFTSTA / DESADV / INVOIC / INVRPT):
 * which partner organisation's scope decides what a trading partner is told, which instance sends
 * its documents and which it asked for; and the register of what was sent per record (a despatch
 * advice or an invoice once, a status or a level only when it changed). Tenant-isolated.
 */
export class PartnerDocuments1700000034000 implements MigrationInterface {
  name = 'PartnerDocuments1700000034000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "edi_trading_partner" ADD "partner_id" uuid`);
    await q.query(`ALTER TABLE "edi_trading_partner" ADD "outbound_instance_id" text`);
    await q.query(
      `ALTER TABLE "edi_trading_partner" ADD "outbound_documents" text array NOT NULL DEFAULT '{}'`,
    );
    await q.query(
      `CREATE INDEX "edi_trading_partner_outbound_idx" ON "edi_trading_partner" ("tenant", "outbound_instance_id") `,
    );
    await q.query(
      `CREATE TABLE "edi_document_sent" ("tenant" text NOT NULL, "trading_partner_id" uuid NOT NULL, "document" text NOT NULL, "record_id" uuid NOT NULL, "fingerprint" text NOT NULL, "event_id" uuid NOT NULL, "times" integer NOT NULL DEFAULT '1', "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_edi_document_sent" PRIMARY KEY ("trading_partner_id", "document", "record_id"))`,
    );
    await isolateTenants(q, 'edi_document_sent');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "edi_document_sent"`);
    await q.query(`DROP INDEX "edi_trading_partner_outbound_idx"`);
    for (const c of ['outbound_documents', 'outbound_instance_id', 'partner_id'])
      await q.query(`ALTER TABLE "edi_trading_partner" DROP COLUMN "${c}"`);
  }
}
