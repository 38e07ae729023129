import { MigrationInterface, QueryRunner } from 'typeorm';

/** Satisfaction answers (surveys, reviews, complaint signals) and the weights of each relationship's index. */
export class Satisfaction1700000004000 implements MigrationInterface {
  name = 'Satisfaction1700000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "crm_satisfaction_response" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "customer_id" uuid NOT NULL, "source" text NOT NULL, "external_id" text NOT NULL, "party" text NOT NULL, "department" text NOT NULL, "kind" text NOT NULL, "raw_score" numeric(8,2) NOT NULL, "scale_min" numeric(8,2) NOT NULL, "scale_max" numeric(8,2) NOT NULL, "score" numeric(6,2) NOT NULL, "comment" text, "answered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "crm_satisfaction_response_external_uq" UNIQUE ("tenant", "source", "external_id"), CONSTRAINT "PK_3757fa2b6fd12267d7d8c3621e7" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_satisfaction_response_customer_idx" ON "crm_satisfaction_response"  ("customer_id", "answered_at") `,
    );
    await q.query(
      `CREATE TABLE "crm_satisfaction_weights" ("customer_id" uuid NOT NULL, "weights" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5faff005743dfbc0af3d5f37891" PRIMARY KEY ("customer_id"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_satisfaction_weights"`);
    await q.query(`DROP TABLE "crm_satisfaction_response"`);
  }
}
