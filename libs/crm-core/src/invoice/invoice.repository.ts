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
}
