import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { customerIdOf } from '../customer/customer-of.sql';
import { PendingReference, ReferenceKind } from './pending-reference.entity';

export interface ChildRef {
  tenant: string;
  entity: string;
  childSource: string;
  childExternalId: string;
  field: string;
  refKind: ReferenceKind;
  refSource: string;
  refExternalId: string;
  envelope: object;
}

const PARENT_EXISTS = `CASE WHEN i.ref_kind = 'customer'
  THEN ${customerIdOf('i.tenant', 'i.ref_source', 'i.ref_external_id')} IS NOT NULL
  ELSE EXISTS (SELECT 1 FROM crm_order o WHERE o.tenant = i.tenant AND o.source = i.ref_source AND o.external_id = i.ref_external_id) END`;

@Injectable()
export class ReferenceRepository {
  constructor(private readonly db: Database) {}

  /** Records which references of these children resolve: unresolved ones are kept, resolved ones dropped. */
  async track(tx: EntityManager, refs: ChildRef[]): Promise<void> {
    if (!refs.length) return;
    const input = refs.map((r) => ({
      tenant: r.tenant,
      entity: r.entity,
      child_source: r.childSource,
      child_external_id: r.childExternalId,
      field: r.field,
      ref_kind: r.refKind,
      ref_source: r.refSource,
      ref_external_id: r.refExternalId,
      envelope: r.envelope,
    }));
    await tx.query(
      `WITH i AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(tenant text, entity text, child_source text,
                    child_external_id text, field text, ref_kind text, ref_source text, ref_external_id text, envelope jsonb)),
            s AS (SELECT i.*, ${PARENT_EXISTS} AS ok FROM i),
            gone AS (DELETE FROM crm_pending_reference p USING s
                      WHERE s.ok AND p.tenant = s.tenant AND p.entity = s.entity AND p.child_source = s.child_source
                        AND p.child_external_id = s.child_external_id AND p.field = s.field)
       INSERT INTO crm_pending_reference AS p (tenant, entity, child_source, child_external_id, field, ref_kind, ref_source,
                                              ref_external_id, envelope)
       SELECT tenant, entity, child_source, child_external_id, field, ref_kind, ref_source, ref_external_id, envelope
         FROM s WHERE NOT ok
       ON CONFLICT (tenant, entity, child_source, child_external_id, field) DO UPDATE SET
         envelope = EXCLUDED.envelope, ref_kind = EXCLUDED.ref_kind, ref_source = EXCLUDED.ref_source,
         ref_external_id = EXCLUDED.ref_external_id,
         first_seen_at = CASE WHEN (p.ref_source, p.ref_external_id) = (EXCLUDED.ref_source, EXCLUDED.ref_external_id)
                              THEN p.first_seen_at ELSE now() END`,
      [JSON.stringify(input)],
    );
  }

  /** Parents that now exist: the references waiting for them are resolved. */
  async resolve(
    tx: EntityManager,
    kind: ReferenceKind,
    keys: { tenant: string; source: string; externalId: string }[],
  ): Promise<void> {
    if (!keys.length) return;
    await tx.query(
      `DELETE FROM crm_pending_reference p USING jsonb_to_recordset($2::jsonb) AS k(tenant text, source text, external_id text)
        WHERE p.ref_kind = $1 AND p.tenant = k.tenant AND p.ref_source = k.source AND p.ref_external_id = k.external_id`,
      [
        kind,
        JSON.stringify(keys.map((k) => ({ tenant: k.tenant, source: k.source, external_id: k.externalId }))),
      ],
    );
  }

  /**
   * Drops references whose parent exists by now, then takes (and deletes) up to `limit` still
   * unresolved after the grace period; rows another worker is taking are skipped.
   */
  async takeExpired(tx: EntityManager, graceMs: number, limit: number): Promise<PendingReference[]> {
    await tx.query(`DELETE FROM crm_pending_reference i WHERE ${PARENT_EXISTS}`);
    const rows: Record<string, unknown>[] = await tx.query(
      `WITH expired AS (
         SELECT tenant, entity, child_source, child_external_id, field FROM crm_pending_reference
          WHERE first_seen_at < now() - make_interval(secs => $1::double precision / 1000)
          ORDER BY first_seen_at LIMIT $2 FOR UPDATE SKIP LOCKED),
       taken AS (
         DELETE FROM crm_pending_reference p USING expired e
          WHERE (p.tenant, p.entity, p.child_source, p.child_external_id, p.field)
              = (e.tenant, e.entity, e.child_source, e.child_external_id, e.field)
          RETURNING p.*)
       SELECT * FROM taken`,
      [graceMs, limit],
    );
    return rows.map((r) => ({
      tenant: r.tenant as string,
      entity: r.entity as string,
      childSource: r.child_source as string,
      childExternalId: r.child_external_id as string,
      field: r.field as string,
      refKind: r.ref_kind as ReferenceKind,
      refSource: r.ref_source as string,
      refExternalId: r.ref_external_id as string,
      envelope: r.envelope as Record<string, unknown>,
      firstSeenAt: new Date(r.first_seen_at as string),
    }));
  }

  async countPending(): Promise<number> {
    const [row] = await this.db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM crm_pending_reference`);
    return row.n;
  }
}
