import { Injectable } from '@nestjs/common';
import { Envelope, InvoiceUpsertedV1 } from '@tradelane/contracts';
import { EntityManager } from 'typeorm';
import { upsertNewest, WrittenRow } from '../context/newest-wins.upsert';

const COLUMNS = {
  tenant: 'text',
  source: 'text',
  external_id: 'text',
  customer_source: 'text',
  customer_external_id: 'text',
  order_external_id: 'text',
  issued_at: 'timestamptz',
  due_at: 'timestamptz',
  currency: 'text',
  total_amount: 'numeric',
  paid_amount: 'numeric',
  status: 'text',
  disputed: 'boolean',
  dispute_reason: 'text',
};

@Injectable()
export class InvoiceRepository {
  upsertMany(tx: EntityManager, events: Envelope<InvoiceUpsertedV1>[]): Promise<WrittenRow[]> {
    return upsertNewest(
      tx,
      'crm_invoice',
      COLUMNS,
      events.map((e) => ({
        tenant: e.tenant,
        source: e.source,
        external_id: e.payload.externalId,
        customer_source: e.payload.customerSource ?? e.source,
        customer_external_id: e.payload.customerExternalId,
        order_external_id: e.payload.orderExternalId ?? null,
        issued_at: e.payload.issuedAt,
        due_at: e.payload.dueAt,
        currency: e.payload.currency,
        total_amount: e.payload.totalAmount,
        paid_amount: e.payload.paidAmount ?? 0,
        status: e.payload.status,
        disputed: e.payload.disputed ?? false,
        dispute_reason: e.payload.disputeReason ?? null,
        at: e.occurredAt,
        message_id: e.id,
      })),
    );
  }
}
