import { MigrationInterface, QueryRunner } from 'typeorm';

/** The versions agreed with a trading partner (X12 GS08, EDIFACT UNH version and release); empty: any. */
export class PartnerVersions1700000029000 implements MigrationInterface {
  name = 'PartnerVersions1700000029000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "edi_trading_partner" ADD "versions" text array NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "edi_trading_partner" DROP COLUMN "versions"`);
  }
}
