/**
 * Fails when entities and migrations drift apart (STYLE.md rule 24): creates a scratch database,
 * runs every migration, then asks TypeORM's schema builder what it would still change.
 *   ts-node scripts/schema-drift.ts            check, exit 1 on drift
 *   ts-node scripts/schema-drift.ts --print    print the SQL a new migration needs
 * Needs DATABASE_URL (a role allowed to create databases).
 */
import { TRADELANE_SCHEMA } from '@tradelane/composition';
import { createDataSource, Database } from '@tradelane/persistence';
import { Client } from 'pg';
import 'reflect-metadata';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required for the schema drift check');
  const scratch = `tradelane_drift_${process.pid}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
  await admin.query(`CREATE DATABASE ${scratch}`);
  const scratchUrl = new URL(url);
  scratchUrl.pathname = `/${scratch}`;
  const config = { kind: 'postgres' as const, url: scratchUrl.toString(), poolSize: 2, logging: false };
  const db = new Database(createDataSource(config, TRADELANE_SCHEMA), config);
  let drift: string[] = [];
  try {
    await db.connect();
    await db.migrate();
    const log = await db.dataSource.driver.createSchemaBuilder().log();
    drift = log.upQueries.map((q) => q.query);
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await admin.end();
  }
  if (process.argv.includes('--print')) {
    for (const q of drift) console.log(`${q};`);
    return;
  }
  if (drift.length) {
    console.error(`Entities and migrations drift (${drift.length} statements). Write a migration for:`);
    for (const q of drift) console.error(`  ${q};`);
    process.exit(1);
  }
  console.log('schema: entities and migrations agree');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
