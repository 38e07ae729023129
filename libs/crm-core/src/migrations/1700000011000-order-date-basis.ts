import { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether an order's date is its order date or a stand-in (a requested date, the receipt time). */
export class OrderDateBasis1700000011000 implements MigrationInterface {
  name = 'OrderDateBasis1700000011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_order" ADD "ordered_at_basis" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_order" DROP COLUMN "ordered_at_basis"`);
  }
}
