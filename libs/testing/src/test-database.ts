import { TRADELANE_SCHEMA } from '@tradelane/composition';
import { createDataSource, Database, DatabaseConfig } from '@tradelane/persistence';
import { Client } from 'pg';

export interface TestDatabase {
  url: string;
  config: DatabaseConfig;
  /** A migrated connection for assertions (closed by drop()). */
  db: Database;
  drop(): Promise<void>;
}

/** A fresh, migrated PostgreSQL database per suite, dropped afterwards. */
export async function createTestDatabase(databaseUrl: string, label: string): Promise<TestDatabase> {
  const name = `tl_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { kind: 'postgres', url: url.toString(), poolSize: 10, logging: false };
  const db = new Database(createDataSource(config, TRADELANE_SCHEMA), config);
  await db.connect();
  await db.migrate();
  return {
    url: url.toString(),
    config,
    db,
    async drop() {
      await db.close();
      const c = new Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
