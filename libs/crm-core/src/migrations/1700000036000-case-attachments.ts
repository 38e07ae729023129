import { isolateTenants } from '@tradelane/access';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files on case messages (crm_case_attachment). A partner sees a file when it sees its message: a
 * customer-visible message on one of its cases (the message table's own policy decides).
 */
export class CaseAttachments1700000036000 implements MigrationInterface {
  name = 'CaseAttachments1700000036000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "crm_case_attachment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "case_id" uuid NOT NULL, "message_id" uuid NOT NULL, "filename" text NOT NULL, "content_type" text NOT NULL, "size" integer NOT NULL, "sha256" text NOT NULL, "content" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_crm_case_attachment" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_case_attachment_case_idx" ON "crm_case_attachment" ("case_id", "created_at") `,
    );
    await q.query(`CREATE INDEX "crm_case_attachment_message_idx" ON "crm_case_attachment" ("message_id") `);
    await isolateTenants(q, 'crm_case_attachment', `message_id IN (SELECT m.id FROM crm_case_message m)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_case_attachment"`);
  }
}
