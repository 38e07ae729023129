import { isolateTenants } from '@tradelane/access';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** A tenant's outbound allowance (non-public address ranges), within TRADELANE_OUTBOUND_ALLOW. */
export class TenantOutbound1700000035000 implements MigrationInterface {
  name = 'TenantOutbound1700000035000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "tenant_outbound_allow" ("tenant" text NOT NULL, "allow" text array NOT NULL DEFAULT '{}', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_tenant_outbound_allow" PRIMARY KEY ("tenant"))`,
    );
    await isolateTenants(q, 'tenant_outbound_allow');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "tenant_outbound_allow"`);
  }
}
