import { Injectable } from '@nestjs/common';
import { Envelope, InvoiceUpsertedV1 } from '@tradelane/contracts';
import { EntityManager } from 'typeorm';
import { upsertNewest, WrittenRow } from '../context/newest-wins.upsert';
import { Invoice } from './invoice.entity';

@Injectable()
export class InvoiceRepository {
  upsertMany(tx: EntityManager, events: Envelope<InvoiceUpsertedV1>[]): Promise<WrittenRow[]> {
    return upsertNewest(
      tx,
      Invoice,
      events.map((e) => ({
        tenant: e.tenant,
        source: e.source,
        externalId: e.payload.externalId,
        customerSource: e.payload.customerSource ?? e.source,
        customerExternalId: e.payload.customerExternalId,
        orderExternalId: e.payload.orderExternalId ?? null,
        issuedAt: e.payload.issuedAt,
        dueAt: e.payload.dueAt,
        currency: e.payload.currency,
        totalAmount: e.payload.totalAmount,
        paidAmount: e.payload.paidAmount ?? 0,
        status: e.payload.status,
        disputed: e.payload.disputed ?? false,
        disputeReason: e.payload.disputeReason ?? null,
        at: e.occurredAt,
        messageId: e.id,
      })),
    );
  }

  /**
   * Marks open invoices past their due date (due within the look-back, not yet raised for this
   * due date) as raised, at most `limit`, skipping rows another sweep holds; returns them.
   */
  async raiseOverdue(
    tx: EntityManager,
    now: Date,
    lookbackDays: number,
    limit: number,
  ): Promise<{ id: string; tenant: string }[]> {
    // Ends in a SELECT: TypeORM then returns the rows, not [rows, count].
    return (await tx.query(
      `WITH due AS (
         SELECT id FROM crm_invoice
          WHERE due_at < $1 AND due_at >= $1::timestamptz - make_interval(days => $2)
            AND status IN ('OPEN', 'PARTIALLY_PAID') AND total_amount > paid_amount
            AND overdue_raised_for IS DISTINCT FROM due_at
          ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),
       raised AS (
         UPDATE crm_invoice i SET overdue_raised_for = i.due_at FROM due WHERE i.id = due.id
         RETURNING i.id, i.tenant, i.due_at)
       SELECT id, tenant FROM raised ORDER BY due_at, id`,
      [now.toISOString(), lookbackDays, limit],
    )) as { id: string; tenant: string }[];
  }
}
