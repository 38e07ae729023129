import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { ConnectorCursor } from './connector-cursor.entity';
import { ConnectorInstance, InstanceHealth, InstanceState } from './connector-instance.entity';

@Injectable()
export class ConnectorInstanceRepository {
  constructor(private readonly db: Database) {}

  async insert(
    row: Partial<ConnectorInstance> & Pick<ConnectorInstance, 'id' | 'connectorId' | 'settings'>,
  ): Promise<boolean> {
    const rows = await this.db.sql(
      `INSERT INTO connector_instance (id, connector_id, tenant, settings, sealed_secrets, poll_seconds,
                                       freshness_threshold_seconds, state, max_requests_per_second, secret_fields)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        row.id,
        row.connectorId,
        row.tenant ?? 'default',
        JSON.stringify(row.settings),
        row.sealedSecrets ?? null,
        row.pollSeconds ?? 60,
        row.freshnessThresholdSeconds ?? 3600,
        row.state ?? 'running',
        row.maxRequestsPerSecond ?? null,
        row.secretFields ?? [],
      ],
    );
    return rows.length === 1;
  }

  find(id: string): Promise<ConnectorInstance | null> {
    return this.db.read((m) => m.getRepository(ConnectorInstance).findOneBy({ id }));
  }

  list(): Promise<ConnectorInstance[]> {
    return this.db.read((m) => m.getRepository(ConnectorInstance).find({ order: { id: 'ASC' } }));
  }

  async setState(id: string, state: InstanceState): Promise<void> {
    await this.db.sql(`UPDATE connector_instance SET state = $2, updated_at = now() WHERE id = $1`, [
      id,
      state,
    ]);
  }

  async recordCheck(id: string, code: string, message: string, health: InstanceHealth): Promise<void> {
    await this.db.sql(
      `UPDATE connector_instance SET last_check_at = now(), last_check_code = $2, last_check_message = $3,
              health = $4, updated_at = now() WHERE id = $1`,
      [id, code, message, health],
    );
  }

  cursors(id: string): Promise<ConnectorCursor[]> {
    return this.db.read((m) =>
      m.getRepository(ConnectorCursor).find({ where: { instanceId: id }, order: { stream: 'ASC' } }),
    );
  }

  /** Dead letters of messages the instance produced, still dead. */
  async deadLetters(id: string): Promise<number> {
    const [row] = await this.db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM dead_letter WHERE source = $1 AND status = 'dead'`,
      [id],
    );
    return row.n;
  }

  async setSealedSecrets(id: string, sealed: string): Promise<void> {
    await this.db.sql(`UPDATE connector_instance SET sealed_secrets = $2, updated_at = now() WHERE id = $1`, [
      id,
      sealed,
    ]);
  }

  /**
   * Locks the stream's cursor row for this transaction (creating it the first time) and returns the
   * cursor; undefined when another transaction holds it (another worker is pulling that stream).
   */
  async lockCursor(
    tx: EntityManager,
    instanceId: string,
    stream: string,
  ): Promise<string | null | undefined> {
    await tx.query(
      `INSERT INTO connector_cursor (instance_id, stream) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [instanceId, stream],
    );
    const rows: { cursor: string | null }[] = await tx.query(
      `SELECT cursor FROM connector_cursor WHERE instance_id = $1 AND stream = $2 FOR UPDATE SKIP LOCKED`,
      [instanceId, stream],
    );
    return rows.length ? rows[0].cursor : undefined;
  }

  async saveCursor(
    tx: EntityManager,
    instanceId: string,
    stream: string,
    cursor: string | null,
    newestEventAt: string | null,
    records: number,
  ): Promise<void> {
    await tx.query(
      `UPDATE connector_cursor SET cursor = $3, records = records + $5,
              pages = pages + CASE WHEN $5 > 0 THEN 1 ELSE 0 END, updated_at = now(),
              last_event_at = GREATEST(last_event_at, $4::timestamptz)
        WHERE instance_id = $1 AND stream = $2`,
      [instanceId, stream, cursor, newestEventAt, records],
    );
  }

  /** After a pull: success, or the error that stopped it (auth and config need a person: failing). */
  async recordPull(
    id: string,
    error: { kind: string; message: string; needsAttention: boolean } | null,
    stream?: string,
  ): Promise<void> {
    if (stream)
      await this.db.sql(
        error
          ? `UPDATE connector_cursor SET health = $3, last_error = $4, last_error_at = now() WHERE instance_id = $1 AND stream = $2`
          : `UPDATE connector_cursor SET health = 'ok', last_error = NULL, last_success_at = now() WHERE instance_id = $1 AND stream = $2`,
        error
          ? [id, stream, pullHealth(error), `${error.kind}: ${error.message}`.slice(0, 2000)]
          : [id, stream],
      );
    if (!error)
      await this.db.sql(
        `UPDATE connector_instance SET last_success_at = now(), last_error = NULL, health = 'ok', updated_at = now()
          WHERE id = $1`,
        [id],
      );
    else
      await this.db.sql(
        `UPDATE connector_instance SET last_error = $2, health = $3, updated_at = now() WHERE id = $1`,
        [id, `${error.kind}: ${error.message}`.slice(0, 2000), pullHealth(error)],
      );
  }

  runningInstances(): Promise<ConnectorInstance[]> {
    return this.db.read((m) =>
      m.getRepository(ConnectorInstance).find({ where: { state: 'running' }, order: { id: 'ASC' } }),
    );
  }

  /** Every instance, read in the caller's transaction. */
  listIn(tx: EntityManager): Promise<ConnectorInstance[]> {
    return tx.getRepository(ConnectorInstance).find({ order: { id: 'ASC' } });
  }

  async deliveryCounts(id: string): Promise<{ pending: number; failed: number; conflict: number }> {
    const [row] = await this.db.sql<{ pending: number; failed: number; conflict: number }>(
      `SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending, count(*) FILTER (WHERE state = 'failed')::int AS failed,
              count(*) FILTER (WHERE state = 'conflict')::int AS conflict
         FROM connector_delivery WHERE instance_id = $1`,
      [id],
    );
    return row;
  }

  /** Records the instance produced that wait in the outbox for the relay (its inbound backlog). */
  async backlog(id: string): Promise<number> {
    const [row] = await this.db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND envelope->>'source' = $1`,
      [id],
    );
    return row.n;
  }
}

function pullHealth(error: { kind: string; needsAttention: boolean }): 'failing' | 'degraded' {
  return error.needsAttention || error.kind === 'permanent' ? 'failing' : 'degraded';
}
