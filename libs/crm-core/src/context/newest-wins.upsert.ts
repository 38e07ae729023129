import { EntityManager, EntityTarget } from 'typeorm';
import { SourceVersionedEntity } from './source-record.entity';

export interface WrittenRow {
  id: string;
  tenant: string;
  source: string;
  externalId: string;
  created: boolean;
}

/**
 * Columns the upsert itself keeps (the key's id, timestamps, the version held) and those a job of
 * ours keeps about the record, which a new version from the source must not reset.
 */
type Managed =
  | 'id'
  | 'createdAt'
  | 'updatedAt'
  | 'sourceUpdatedAt'
  | 'sourceMessageId'
  | 'revision'
  | 'createdXid'
  | 'overdueRaisedFor';
const MANAGED = new Set<string>([
  'id',
  'createdAt',
  'updatedAt',
  'sourceUpdatedAt',
  'sourceMessageId',
  'revision',
  'createdXid',
  'overdueRaisedFor',
] satisfies Managed[]);
const KEY = new Set(['tenant', 'source', 'externalId']);

/**
 * One version of a source record to upsert: every column of the entity by its property name (a
 * column the entity gains and a writer forgets fails to compile), with the event's time and id.
 * Values are as JSON carries them (ISO strings for times, strings or numbers for numerics).
 */
export type NewestRow<E extends SourceVersionedEntity> = { [K in Exclude<keyof E, Managed>]: unknown } & {
  at: string;
  messageId: string;
};

interface ColumnShape {
  property: string;
  column: string;
  type: string;
}

const shapes = new WeakMap<object, { table: string; columns: ColumnShape[] }>();

/** Table and columns of a source-versioned entity, read once from its TypeORM metadata. */
function shapeOf(tx: EntityManager, entity: EntityTarget<SourceVersionedEntity>) {
  const known = shapes.get(entity as object);
  if (known) return known;
  const meta = tx.connection.getMetadata(entity);
  const shape = {
    table: meta.tableName,
    columns: meta.columns
      .filter((c) => !MANAGED.has(c.propertyName))
      .map((c) => ({ property: c.propertyName, column: c.databaseName, type: String(c.type) })),
  };
  shapes.set(entity as object, shape);
  return shape;
}

/**
 * Set-based upsert of source records keyed by (tenant, source, external_id), its columns taken from
 * the entity (TypeORM metadata, so the shape is written once, in the entity): a row is written only
 * when the event is at least as new (event time, then message id) as the version stored. `<=` so
 * a redriven copy of the stored version is written again and its references checked again; the
 * revision counts distinct versions. Rows are one JSON parameter (native JSON.stringify) rather
 * than one array per column escaped by node-postgres. Returns the rows written.
 */
export async function upsertNewest<E extends SourceVersionedEntity>(
  tx: EntityManager,
  entity: EntityTarget<E>,
  rows: NewestRow<E>[],
): Promise<WrittenRow[]> {
  if (!rows.length) return [];
  const { table, columns } = shapeOf(tx, entity as EntityTarget<SourceVersionedEntity>);
  const field = (c: ColumnShape) => `t."${c.property}"`;
  const own = columns.filter((c) => !KEY.has(c.property));
  const out: { id: string; tenant: string; source: string; external_id: string; created: boolean }[] =
    await tx.query(
      `INSERT INTO ${table} AS x (${columns.map((c) => c.column).join(', ')}, source_updated_at, source_message_id)
     SELECT ${columns.map(field).join(', ')}, t.at, t."messageId"
       FROM jsonb_to_recordset($1::jsonb)
            AS t(${columns.map((c) => `"${c.property}" ${c.type}`).join(', ')}, at timestamptz, "messageId" uuid)
     ON CONFLICT (tenant, source, external_id) DO UPDATE SET
       ${own.map((c) => `${c.column} = EXCLUDED.${c.column}`).join(', ')},
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
