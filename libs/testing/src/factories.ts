import {
  createEnvelope,
  CustomerUpsertedV1,
  Envelope,
  newMessageId,
  OrderUpsertedV1,
} from '@tradelane/contracts';

let seq = 0;

export const CustomerEventFactory = {
  create(
    payload: Partial<CustomerUpsertedV1> = {},
    init: { source?: string; occurredAt?: string; id?: string } = {},
  ): Envelope<CustomerUpsertedV1> {
    seq++;
    const externalId = payload.externalId ?? `C${String(seq).padStart(6, '0')}`;
    return createEnvelope({
      type: 'erp.customer.upserted.v1',
      source: init.source ?? 'erp-test:main',
      key: externalId,
      occurredAt: init.occurredAt,
      id: init.id,
      payload: { externalId, name: `Customer ${externalId}`, country: 'DE', ...payload },
    });
  },
};

export const OrderEventFactory = {
  create(
    payload: Partial<OrderUpsertedV1> = {},
    init: { source?: string; occurredAt?: string } = {},
  ): Envelope<OrderUpsertedV1> {
    seq++;
    const externalId = payload.externalId ?? `O${String(seq).padStart(6, '0')}`;
    return createEnvelope({
      type: 'erp.order.upserted.v1',
      source: init.source ?? 'erp-test:main',
      key: externalId,
      occurredAt: init.occurredAt,
      payload: {
        externalId,
        customerExternalId: 'C000001',
        orderedAt: '2026-01-05T10:00:00.000Z',
        lines: [{ sku: 'SKU-1', quantity: 2, unitPrice: 10 }],
        ...payload,
      },
    });
  },
};

export function probeEnvelope(probeId: string, id = newMessageId()) {
  return {
    id,
    type: 'test.probe.recorded.v1',
    source: 'test:probe',
    tenant: 'default',
    occurredAt: new Date().toISOString(),
    correlationId: id,
    causationId: null,
    key: probeId,
    payload: { probeId },
  };
}
