import { MigrationInterface, QueryRunner } from 'typeorm';

/** Cost to serve per customer and month (margin, CLV). */
export class CustomerValue1700000007000 implements MigrationInterface {
  name = 'CustomerValue1700000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "crm_customer_cost" ("customer_id" uuid NOT NULL, "period_start" date NOT NULL, "tenant" text NOT NULL, "amount" numeric(16,4) NOT NULL, "note" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3dcbf9c41620e31739b5cb4598a" PRIMARY KEY ("customer_id", "period_start"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_customer_cost"`);
  }
}
