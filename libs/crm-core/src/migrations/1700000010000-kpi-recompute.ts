import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full KPI recomputes as background jobs with their progress: one running per tenant, readable
 * while it runs (it no longer holds one transaction and the caller's request for its whole length).
 */
export class KpiRecompute1700000010000 implements MigrationInterface {
  name = 'KpiRecompute1700000010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "crm_kpi_recompute" ("id" uuid NOT NULL, "tenant" text NOT NULL, "state" text NOT NULL DEFAULT 'running', "phase" text NOT NULL, "step" integer NOT NULL DEFAULT '0', "steps" integer NOT NULL, "facts" integer NOT NULL DEFAULT '0', "values" integer, "missed" integer, "taken_over" integer NOT NULL DEFAULT '0', "error" text, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_crm_kpi_recompute" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "crm_kpi_recompute_running_uq" ON "crm_kpi_recompute" ("tenant") WHERE state = 'running'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_kpi_recompute"`);
  }
}
