import { MigrationInterface, QueryRunner } from 'typeorm';

/** OAuth2 clients (client credentials; secrets as SHA-256) and the keys that sign their access tokens. */
export class OAuthClients1700000022000 implements MigrationInterface {
  name = 'OAuthClients1700000022000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "auth_client" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "client_id" text NOT NULL, "secret_hash" text NOT NULL, "name" text NOT NULL, "scopes" text array NOT NULL DEFAULT '{}', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2bf40f6fdea0aba0292591d5d7f" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "auth_client_client_id_uq" ON "auth_client" ("client_id")`);
    await q.query(
      `CREATE TABLE "auth_signing_key" ("kid" text NOT NULL, "alg" text NOT NULL, "public_jwk" jsonb NOT NULL, "private_jwk" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "retires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_eb91f60c85967925ae6fb920ca6" PRIMARY KEY ("kid"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "auth_signing_key"`);
    await q.query(`DROP TABLE "auth_client"`);
  }
}
