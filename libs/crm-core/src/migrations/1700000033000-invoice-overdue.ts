import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * crm.invoice.overdue.v1 once per due date: each invoice keeps the due date its overdue event was
 * raised for (a due date moved later and passed again raises it again). The sweep reads by due date.
 */
export class InvoiceOverdue1700000033000 implements MigrationInterface {
  name = 'InvoiceOverdue1700000033000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_invoice" ADD "overdue_raised_for" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE INDEX "crm_invoice_due_idx" ON "crm_invoice" ("due_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "crm_invoice_due_idx"`);
    await q.query(`ALTER TABLE "crm_invoice" DROP COLUMN "overdue_raised_for"`);
  }
}
