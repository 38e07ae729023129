import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { ConnectorBackfill } from './connector-backfill.entity';

@Injectable()
export class ConnectorBackfillRepository {
  constructor(private readonly db: Database) {}

  /** Starts backfills of these streams; refuses a stream that already has one running. */
  async start(
    instanceId: string,
    streams: string[],
  ): Promise<{ started: ConnectorBackfill[]; running: string[] }> {
    const running = (
      await this.db.sql<{ stream: string }>(
        `SELECT stream FROM connector_backfill WHERE instance_id = $1 AND state = 'running' AND stream = ANY($2::text[])`,
        [instanceId, streams],
      )
    ).map((r) => r.stream);
    const todo = streams.filter((s) => !running.includes(s));
    const started = todo.length
      ? await this.db.read((m) =>
          m
            .getRepository(ConnectorBackfill)
            .save(todo.map((stream) => m.getRepository(ConnectorBackfill).create({ instanceId, stream }))),
        )
      : [];
    return { started, running };
  }

  list(instanceId: string): Promise<ConnectorBackfill[]> {
    return this.db.read((m) =>
      m
        .getRepository(ConnectorBackfill)
        .find({ where: { instanceId }, order: { createdAt: 'DESC', stream: 'ASC' }, take: 50 }),
    );
  }

  running(): Promise<ConnectorBackfill[]> {
    return this.db.read((m) =>
      m.getRepository(ConnectorBackfill).find({ where: { state: 'running' }, order: { createdAt: 'ASC' } }),
    );
  }

  /** Locks a running backfill for this transaction; its cursor, or undefined when taken or finished. */
  async lock(tx: EntityManager, id: string): Promise<string | null | undefined> {
    const rows: { cursor: string | null }[] = await tx.query(
      `SELECT cursor FROM connector_backfill WHERE id = $1 AND state = 'running' FOR UPDATE SKIP LOCKED`,
      [id],
    );
    return rows.length ? rows[0].cursor : undefined;
  }

  async advance(
    tx: EntityManager,
    id: string,
    cursor: string | null,
    records: number,
    hasMore: boolean,
  ): Promise<void> {
    await tx.query(
      `UPDATE connector_backfill SET cursor = $2, records = records + $3,
              pages = pages + CASE WHEN $3 > 0 THEN 1 ELSE 0 END, error = NULL, updated_at = now(),
              state = CASE WHEN $4 THEN state ELSE 'done' END,
              finished_at = CASE WHEN $4 THEN NULL ELSE now() END
        WHERE id = $1`,
      [id, cursor, records, hasMore],
    );
  }

  /** A retryable error keeps it running (it tries again); anything else fails it. */
  async recordError(id: string, error: { kind: string; message: string }): Promise<void> {
    const retry = error.kind === 'retryable' || error.kind === 'rate-limited';
    await this.db.sql(
      `UPDATE connector_backfill SET error = $2, updated_at = now(),
              state = CASE WHEN $3 THEN state ELSE 'failed' END, finished_at = CASE WHEN $3 THEN NULL ELSE now() END
        WHERE id = $1`,
      [id, `${error.kind}: ${error.message}`.slice(0, 2000), retry],
    );
  }
}
