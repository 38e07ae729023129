import { EntityManager } from 'typeorm';

export interface WrittenRow {
  id: string;
  tenant: string;
  source: string;
  externalId: string;
  created: boolean;
}

/** Column name → PostgreSQL type, for the record set the rows are read from. */
export type Columns = Record<string, string>;

/**
 * Set-based upsert of source records keyed by (tenant, source, external_id): a row is written only
 * when the event is at least as new (event time, then message id) as the version stored. `<=` so
 * a redriven copy of the stored version is written again and its references checked again; the
 * revision counts distinct versions. Rows are one JSON parameter (native JSON.stringify) rather
 * than one array per column escaped by node-postgres. Returns the rows written.
 */
export async function upsertNewest(
  tx: EntityManager,
  table: string,
  columns: Columns,
  rows: (Record<string, unknown> & {
    tenant: string;
    source: string;
    external_id: string;
    at: string;
    message_id: string;
  })[],
): Promise<WrittenRow[]> {
  if (!rows.length) return [];
  const names = Object.keys(columns);
  const own = names.filter((c) => !['tenant', 'source', 'external_id'].includes(c));
  const out: { id: string; tenant: string; source: string; external_id: string; created: boolean }[] =
    await tx.query(
      `INSERT INTO ${table} AS x (${names.join(', ')}, source_updated_at, source_message_id)
     SELECT ${names.map((c) => `t.${c}`).join(', ')}, t.at, t.message_id
       FROM jsonb_to_recordset($1::jsonb)
            AS t(${names.map((c) => `${c} ${columns[c]}`).join(', ')}, at timestamptz, message_id uuid)
     ON CONFLICT (tenant, source, external_id) DO UPDATE SET
       ${own.map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
       source_updated_at = EXCLUDED.source_updated_at, source_message_id = EXCLUDED.source_message_id,
       revision = x.revision + CASE WHEN x.source_message_id = EXCLUDED.source_message_id THEN 0 ELSE 1 END,
       updated_at = now()
     WHERE (x.source_updated_at, x.source_message_id) <= (EXCLUDED.source_updated_at, EXCLUDED.source_message_id)
     RETURNING id, tenant, source, external_id, (xmax = 0) AS created`,
      [JSON.stringify(rows)],
    );
  return out.map((r) => ({
    id: r.id,
    tenant: r.tenant,
    source: r.source,
    externalId: r.external_id,
    created: r.created,
  }));
}
