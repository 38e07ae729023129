import { Injectable } from '@nestjs/common';
import { CanonicalRecord } from '@tradelane/connector-sdk';
import { contractProblem, Envelope, INVALID_MESSAGE } from '@tradelane/contracts';
import { CORE_CONSUMER, INBOUND_EXCHANGE, OutboxRelay } from '@tradelane/messaging';
import {
  Database,
  deadLetterLedgerRecord,
  DeadLetterRecord,
  DeadLetterRepository,
  LedgerRepository,
  OutboxRepository,
} from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { recordEnvelope, SourceInstance } from './record-id.util';

/** Why a record a connector produced cannot go on: its contract's field and reason. */
export interface RecordProblem {
  envelope: Envelope;
  /** `payload.lines.0.quantity`, or the connector's own (`orders.csv row 17 column qty`). */
  field: string;
  reason: string;
  /** The connector itself rejected it (a file row it could not map), rather than its contract. */
  byConnector: boolean;
  /** Its position among the records of the payload or page (0-based). */
  index: number;
}

/**
 * Records are checked against their contracts in the host, before they reach the outbox: a mapping
 * bug is caught where the raw payload that produced it is known (and is dead-lettered with it),
 * not on a second pass through the processor after that payload was acknowledged.
 */
@Injectable()
export class RecordChecks {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly ledger: LedgerRepository,
    private readonly db: Database,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * Records fetched again by key (reconciliation, a conflict resolved in the system's favour) to
   * tradelane.inbound with fresh message ids (the version read before may be in the inbox already),
   * checked like any other; returns how many went.
   */
  async publishFetched(instance: SourceInstance, records: CanonicalRecord[], where: string): Promise<number> {
    const { valid, problems } = this.split(records, (r) => recordEnvelope(instance, r, { fresh: true }));
    await this.db.transaction(async (tx) => {
      await this.outbox.enqueue(
        tx,
        valid.map((envelope) => ({ exchange: INBOUND_EXCHANGE, envelope })),
      );
      await this.keep(tx, problems, where);
    });
    this.relay.wake();
    return valid.length;
  }

  /** Which of a connector's records are valid, and the problem of each other one (rejected by the connector or by its contract). */
  split(
    records: CanonicalRecord[],
    envelopeOf: (r: CanonicalRecord) => Envelope,
  ): { valid: Envelope[]; problems: RecordProblem[] } {
    const valid: Envelope[] = [];
    const problems: RecordProblem[] = [];
    for (const [index, r] of records.entries()) {
      const envelope = envelopeOf(r);
      if (r.rejected) {
        problems.push({
          envelope,
          field: r.rejected.field,
          reason: r.rejected.reason,
          byConnector: true,
          index,
        });
        continue;
      }
      const problem = contractProblem(envelope);
      if (problem)
        problems.push({ envelope, field: problem.field, reason: problem.message, byConnector: false, index });
      else valid.push(envelope);
    }
    return { valid, problems };
  }

  /**
   * Dead letters of the core consumer, in the caller's transaction, one per record: the record as
   * mapped is the body (a redrive offers it to the core again), the reason and field say why.
   */
  async keep(tx: EntityManager, problems: RecordProblem[], where?: string): Promise<void> {
    if (!problems.length) return;
    const rows: DeadLetterRecord[] = problems.map(({ envelope: env, field, reason }) => ({
      // The same payload or page translated again (a redelivery) gives the same ids: stored once.
      deliveryId: `rejected:${env.id}`,
      messageId: env.id,
      consumer: CORE_CONSUMER,
      type: env.type,
      key: env.key,
      tenant: env.tenant,
      source: env.source,
      correlationId: env.correlationId,
      routingKey: env.type,
      body: Buffer.from(JSON.stringify(env)),
      errorCode: INVALID_MESSAGE,
      errorMessage: where ? `${where}: ${reason}` : reason,
      errorField: where && !field.startsWith(where) ? `${where} ${field}` : field,
      attempts: 1,
    }));
    const stored = await this.deadLetters.record(tx, rows);
    await this.ledger.append(
      tx,
      stored.map((d) => deadLetterLedgerRecord(d, 'dead-lettered')),
    );
  }
}
