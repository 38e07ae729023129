import { MigrationInterface, QueryRunner } from 'typeorm';

/** Customer classification: ABC class and lifecycle stage, with the rule and its inputs. */
export class Segments1700000005000 implements MigrationInterface {
  name = 'Segments1700000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "crm_customer_segment" ("customer_id" uuid NOT NULL, "tenant" text NOT NULL, "abc" text NOT NULL, "revenue" numeric(16,4) NOT NULL, "share" numeric(9,8) NOT NULL, "cumulative_share" numeric(9,8) NOT NULL, "lifecycle" text NOT NULL, "reason" text NOT NULL, "inputs" jsonb NOT NULL, "classified_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0cbc602176e1233035e4425a9b3" PRIMARY KEY ("customer_id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_customer_segment_class_idx" ON "crm_customer_segment"  ("tenant", "abc") `,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_customer_segment"`);
  }
}
