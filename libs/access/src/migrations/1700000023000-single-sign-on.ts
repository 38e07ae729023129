import { MigrationInterface, QueryRunner } from 'typeorm';

/** Single sign-ons in progress (state, PKCE verifier, nonce; ten minutes). */
export class SingleSignOn1700000023000 implements MigrationInterface {
  name = 'SingleSignOn1700000023000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "auth_oidc_login" ("state" text NOT NULL, "code_verifier" text NOT NULL, "nonce" text NOT NULL, "return_to" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_204addf62079f5db4e35ab41989" PRIMARY KEY ("state"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "auth_oidc_login"`);
  }
}
