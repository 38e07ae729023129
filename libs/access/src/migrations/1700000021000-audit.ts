import { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit log, append-only: a trigger refuses UPDATE and DELETE of its rows. */
export class Audit1700000021000 implements MigrationInterface {
  name = 'Audit1700000021000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "tenant" text NOT NULL, "actor_kind" text NOT NULL, "actor_id" text, "actor_name" text NOT NULL, "action" text NOT NULL, "target_type" text, "target_id" text, "route" text, "ip" text, "user_agent" text, "before" jsonb, "after" jsonb, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "audit_log_target_idx" ON "audit_log" ("target_type", "target_id")`);
    await q.query(`CREATE INDEX "audit_log_tenant_idx" ON "audit_log" ("tenant", "id")`);
    await q.query(
      `CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END $$`,
    );
    await q.query(
      `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log"
       FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_log"`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
