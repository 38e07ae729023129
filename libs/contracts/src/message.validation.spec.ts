import { createEnvelope } from './envelope.factory';
import { InvalidMessageError, parseEnvelope } from './message.validation';

const order = () =>
  createEnvelope({
    type: 'erp.order.upserted.v1',
    source: 'erp-odoo:main',
    key: 'SO-1',
    payload: {
      externalId: 'SO-1',
      customerExternalId: 'C-1',
      orderedAt: '2026-01-05T10:00:00Z',
      lines: [{ sku: 'A', quantity: 2, unitPrice: 9.5 }],
    },
  });

function failure(body: unknown): InvalidMessageError {
  try {
    parseEnvelope(typeof body === 'string' ? body : JSON.stringify(body));
  } catch (e) {
    return e as InvalidMessageError;
  }
  throw new Error('expected the message to be rejected');
}

describe('parseEnvelope', () => {
  it('accepts a well-formed envelope and returns the payload as its contract class', () => {
    const e = order();
    const parsed = parseEnvelope(Buffer.from(JSON.stringify(e)));
    expect(parsed).toMatchObject({ id: e.id, type: 'erp.order.upserted.v1', key: 'SO-1', causationId: null });
    expect(parsed.payload.constructor.name).toBe('OrderUpsertedV1');
  });

  it('reports malformed JSON', () => {
    const err = failure('{"id": ');
    expect(err.code).toBe('INVALID_MESSAGE');
    expect(err.message).toMatch(/body is not valid JSON/);
  });

  it('reports a body that is not an object', () => {
    expect(failure('[1,2]').message).toMatch(/must be a JSON object/);
  });

  it('names the envelope field that failed', () => {
    expect(failure({ ...order(), id: 'not-a-uuid' }).field).toBe('id');
    expect(failure({ ...order(), occurredAt: 'yesterday' }).field).toBe('occurredAt');
    const { tenant: _t, ...noTenant } = order();
    expect(failure(noTenant).field).toBe('tenant');
  });

  it('rejects an unknown type, naming it', () => {
    const err = failure({ ...order(), type: 'erp.teapot.brewed.v1' });
    expect(err).toMatchObject({
      field: 'type',
      message: 'type: unknown message type "erp.teapot.brewed.v1"',
    });
  });

  it('names nested payload fields (invalid amounts and dates, missing ids)', () => {
    const e = order();
    expect(
      failure({ ...e, payload: { ...e.payload, lines: [{ sku: 'A', quantity: -1, unitPrice: 1 }] } }).field,
    ).toBe('payload.lines.0.quantity');
    expect(failure({ ...e, payload: { ...e.payload, orderedAt: '31/12/2025' } }).field).toBe(
      'payload.orderedAt',
    );
    const { externalId: _x, ...noId } = e.payload;
    expect(failure({ ...e, payload: noId }).field).toBe('payload.externalId');
    expect(failure({ ...e, payload: { ...e.payload, currency: 'euro' } }).message).toMatch(/ISO 4217/);
  });
});
