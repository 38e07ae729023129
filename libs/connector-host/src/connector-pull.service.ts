import { Injectable, Logger } from '@nestjs/common';
import { ConnectorError } from '@tradelane/connector-sdk';
import { BACKFILL_EXCHANGE, INBOUND_EXCHANGE, OutboxRelay } from '@tradelane/messaging';
import { Database, OutboxRepository } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { ConnectorBackfillRepository } from './connector-backfill.repository';
import { ConnectorCircuits } from './connector-circuits';
import { ConnectorInstanceRepository } from './connector-instance.repository';
import { ConnectorInstanceService } from './connector-instance.service';
import { RecordChecks } from './record-checks.service';
import { recordEnvelope } from './record-id.util';

export interface PullOutcome {
  instance: string;
  stream: string;
  /** null: another worker holds the stream, nothing done. */
  records: number | null;
  hasMore: boolean;
  error?: ConnectorError;
}

/**
 * Pulls one page of one stream of one instance. The cursor row is locked for the whole pull, so one
 * worker pulls a stream at a time; the page's records go to the outbox (relayed to
 * tradelane.inbound) in the same transaction as the new cursor, so a crash at any point neither
 * skips nor repeats a page.
 */
@Injectable()
export class ConnectorPullService {
  private readonly log = new Logger('ConnectorPull');

  constructor(
    private readonly db: Database,
    private readonly instances: ConnectorInstanceService,
    private readonly repo: ConnectorInstanceRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly backfills: ConnectorBackfillRepository,
    private readonly circuits: ConnectorCircuits,
    private readonly checks: RecordChecks,
  ) {}

  /** One page of a live stream, to tradelane.inbound. */
  async pullPage(instanceId: string, stream: string): Promise<PullOutcome> {
    const outcome = await this.page(instanceId, stream, INBOUND_EXCHANGE, {
      lock: (tx) => this.repo.lockCursor(tx, instanceId, stream),
      save: (tx, cursor, newest, records) =>
        this.repo.saveCursor(tx, instanceId, stream, cursor, newest, records),
    });
    if (outcome.error) await this.repo.recordPull(instanceId, outcome.error, stream);
    else if (outcome.records !== null) await this.repo.recordPull(instanceId, null, stream);
    return outcome;
  }

  /** One page of a backfill, to the backfill lane (tradelane.backfill): no outbound CRM events come of it. */
  async backfillPage(backfill: { id: string; instanceId: string; stream: string }): Promise<PullOutcome> {
    const outcome = await this.page(backfill.instanceId, backfill.stream, BACKFILL_EXCHANGE, {
      lock: (tx) => this.backfills.lock(tx, backfill.id),
      save: (tx, cursor, _newest, records, hasMore) =>
        this.backfills.advance(tx, backfill.id, cursor, records, hasMore),
    });
    if (outcome.error) await this.backfills.recordError(backfill.id, outcome.error);
    return outcome;
  }

  /**
   * Pulls one page under the lane's lock (another worker holding it: nothing done) and writes its
   * records to the outbox for `exchange` in the transaction that saves the lane's new cursor.
   */
  private async page(
    instanceId: string,
    stream: string,
    exchange: string,
    lane: {
      lock(tx: EntityManager): Promise<string | null | undefined>;
      save(
        tx: EntityManager,
        cursor: string | null,
        newest: string | null,
        records: number,
        hasMore: boolean,
      ): Promise<void>;
    },
  ): Promise<PullOutcome> {
    const { instance, def, runtime } = await this.instances.runtime(instanceId);
    try {
      const outcome = await this.db.transaction(async (tx) => {
        const cursor = await lane.lock(tx);
        if (cursor === undefined) return { instance: instanceId, stream, records: null, hasMore: false };
        if (!runtime.pull) throw new ConnectorError('config', `${def.id} cannot pull`);
        const pull = runtime.pull.bind(runtime);
        const page = await this.circuits.run(
          instanceId,
          () => pull(stream, cursor),
          instance.maxRequestsPerSecond,
        );
        // Checked against their contracts here: a record the source gave in a shape its contract
        // refuses is kept as a dead letter (with the stream and the field) and the page goes on.
        const { valid, problems } = this.checks.split(page.records, (r) =>
          recordEnvelope({ id: instanceId, tenant: instance.tenant, kind: def.kind }, r),
        );
        await this.outbox.enqueue(
          tx,
          valid.map((envelope) => ({ exchange, envelope })),
        );
        await this.checks.keep(tx, problems, `pull ${stream}`);
        const newest = page.records.reduce<string | null>(
          (m, r) => (m === null || r.occurredAt > m ? r.occurredAt : m),
          null,
        );
        await lane.save(tx, page.cursor, newest, page.records.length, page.hasMore);
        return { instance: instanceId, stream, records: page.records.length, hasMore: page.hasMore };
      });
      if (outcome.records) this.relay.wake();
      return outcome;
    } catch (e) {
      const error = ConnectorError.from(e, `pull ${stream}`);
      this.log.warn(`${instanceId} ${stream}: ${error.kind}: ${error.message}`);
      return { instance: instanceId, stream, records: 0, hasMore: false, error };
    } finally {
      await runtime.close?.();
    }
  }
}
