import { MigrationInterface, QueryRunner } from 'typeorm';

/** Staff users (Argon2id password hashes, roles, lockout) and bearer tokens (sessions, API keys; SHA-256 only). */
export class Access1700000020000 implements MigrationInterface {
  name = 'Access1700000020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "auth_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "email" text NOT NULL, "name" text NOT NULL, "password_hash" text, "roles" text array NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'active', "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9922406dc7d70e20423aeffadf3" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "auth_user_email_uq" ON "auth_user" ("tenant", "email")`);
    await q.query(
      `CREATE TABLE "auth_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "tenant" text NOT NULL, "user_id" uuid, "name" text, "prefix" text NOT NULL, "hash" text NOT NULL, "scopes" text array NOT NULL DEFAULT '{}', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4572ff5d1264c4a523f01aa86a0" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "auth_token_user_idx" ON "auth_token" ("user_id")`);
    await q.query(`CREATE UNIQUE INDEX "auth_token_hash_uq" ON "auth_token" ("hash")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "auth_token"`);
    await q.query(`DROP TABLE "auth_user"`);
  }
}
