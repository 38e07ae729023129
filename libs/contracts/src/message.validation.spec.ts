import { createEnvelope } from './envelope.factory';
import { fastValidator, InvalidMessageError, parseEnvelope } from './message.validation';

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

/** Rejected by the authority (class-validator) and, when the type is known, by the ajv fast path too. */
function failure(body: unknown): InvalidMessageError {
  if (body && typeof body === 'object' && 'type' in body) {
    const fast = fastValidator(String((body as { type: unknown }).type));
    if (fast) expect(fast(JSON.parse(JSON.stringify(body)))).toBe(false);
  }
  try {
    parseEnvelope(typeof body === 'string' ? body : JSON.stringify(body));
  } catch (e) {
    return e as InvalidMessageError;
  }
  throw new Error('expected the message to be rejected');
}

describe('parseEnvelope', () => {
  it('accepts a well-formed envelope (fast path) and drops unknown properties', () => {
    const e = order();
    expect(fastValidator(e.type)?.(JSON.parse(JSON.stringify(e)))).toBe(true);
    const parsed = parseEnvelope(
      Buffer.from(JSON.stringify({ ...e, extra: 1, payload: { ...e.payload, junk: true } })),
    );
    expect(parsed).toMatchObject({ id: e.id, type: 'erp.order.upserted.v1', key: 'SO-1', causationId: null });
    expect(parsed).not.toHaveProperty('extra');
    expect(parsed.payload).toEqual(e.payload);
  });

  it('takes RFC 3339 date-times only: no zone-less time, week date or year 0000 (PostgreSQL refused them late)', () => {
    const e = order();
    for (const orderedAt of [
      '2026-01-05T10:00:00',
      '2026-W45-1',
      '0000-01-05T10:00:00Z',
      '2026-02-30T10:00:00Z',
    ])
      expect(failure({ ...e, payload: { ...e.payload, orderedAt } }).field).toBe('payload.orderedAt');
    const ok = { ...e, payload: { ...e.payload, orderedAt: '2026-01-05T10:00:00.123+01:00' } };
    expect(parseEnvelope(JSON.stringify(ok)).payload).toMatchObject({
      orderedAt: '2026-01-05T10:00:00.123+01:00',
    });
  });

  it('refuses what PostgreSQL would refuse later, naming the field: NUL, lone surrogates, 1e400, deep nesting, overflow', () => {
    const e = order();
    const named = (payload: object, body?: string) =>
      (() => {
        try {
          parseEnvelope(body ?? JSON.stringify({ ...e, payload: { ...e.payload, ...payload } }));
        } catch (err) {
          return (err as InvalidMessageError).field ?? (err as Error).message;
        }
        return 'accepted';
      })();
    expect(named({ carrier: 'DHL\u0000' })).toBe('payload.carrier');
    expect(named({ carrier: 'DHL\ud800' })).toBe('payload.carrier');
    expect(
      named(
        {},
        JSON.stringify({ ...e, payload: { ...e.payload, freight: 1 } }).replace(
          '"freight":1',
          '"freight":1e400',
        ),
      ),
    ).toBe('payload.freight');
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(named({ lines: deep })).toMatch(/^payload\.lines/);
    expect(failure({ ...e, payload: { ...e.payload, freight: 1e10 } }).field).toBe('payload.freight');
    expect(
      failure({ ...e, payload: { ...e.payload, lines: [{ sku: 'A', quantity: 1, unitPrice: 1e300 }] } })
        .field,
    ).toBe('payload.lines.0.unitPrice');
    expect(
      named(
        {},
        Buffer.concat([
          Buffer.from(JSON.stringify(e).slice(0, -1)),
          Buffer.from([0x2c, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]),
        ]) as never,
      ),
    ).toMatch(/not valid UTF-8/);
  });

  it('refuses an event time far in the future: it would pin its record forever', () => {
    const e = { ...order(), occurredAt: '9999-01-01T00:00:00Z' };
    // Not a schema rule (it depends on now): the authority refuses it.
    expect(() => parseEnvelope(JSON.stringify(e))).toThrow(
      /occurredAt: 9999-01-01T00:00:00Z is more than 3600 s in the future/,
    );
    const soon = { ...order(), occurredAt: new Date(Date.now() + 60_000).toISOString() };
    expect(parseEnvelope(JSON.stringify(soon)).occurredAt).toBe(soon.occurredAt);
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
    expect(failure({ ...e, payload: { ...e.payload, lines: 'many' } }).field).toBe('payload.lines');
    expect(failure({ ...e, payload: { ...e.payload, freight: '12.50' } }).field).toBe('payload.freight');
    expect(failure({ ...e, payload: { ...e.payload, externalId: '' } }).field).toBe('payload.externalId');
  });

  it('enforces cross-field rules on both paths (due date before issue date, order or customer named)', () => {
    const invoice = createEnvelope({
      type: 'erp.invoice.upserted.v1',
      source: 'erp-odoo:main',
      key: 'INV-1',
      payload: {
        externalId: 'INV-1',
        customerExternalId: 'C-1',
        issuedAt: '2026-03-01T00:00:00Z',
        dueAt: '2026-03-31T00:00:00Z',
        currency: 'EUR',
        totalAmount: 1250.5,
        paidAmount: 10.1,
        status: 'OPEN',
      },
    });
    expect(fastValidator(invoice.type)?.(JSON.parse(JSON.stringify(invoice)))).toBe(true);
    const due = failure({ ...invoice, payload: { ...invoice.payload, dueAt: '2026-02-01T00:00:00Z' } });
    expect(due.field).toBe('payload.dueAt');
    expect(due.message).toMatch(/must not be before issuedAt/);
    expect(failure({ ...invoice, payload: { ...invoice.payload, totalAmount: 1.23456 } }).field).toBe(
      'payload.totalAmount',
    );
    expect(failure({ ...invoice, payload: { ...invoice.payload, paidAmount: -1 } }).field).toBe(
      'payload.paidAmount',
    );
    expect(
      failure({ ...invoice, payload: { ...invoice.payload, issuedAt: '2026-02-30T00:00:00Z' } }).field,
    ).toBe('payload.issuedAt');

    const delivery = createEnvelope({
      type: 'tms.delivery.status-changed.v1',
      source: 'tms-dcsa:main',
      key: 'SH-1',
      payload: { externalId: 'SH-1', status: 'IN_TRANSIT', orderExternalId: 'SO-1' },
    });
    expect(fastValidator(delivery.type)?.(JSON.parse(JSON.stringify(delivery)))).toBe(true);
    const { orderExternalId: _o, ...nothingNamed } = delivery.payload;
    expect(failure({ ...delivery, payload: nothingNamed }).field).toBe('payload.orderExternalId');
    expect(failure({ ...delivery, payload: { ...delivery.payload, status: 'LOST' } }).field).toBe(
      'payload.status',
    );
    expect(
      failure({
        ...delivery,
        payload: {
          ...delivery.payload,
          promisedFrom: '2026-03-02T00:00:00Z',
          promisedTo: '2026-03-01T00:00:00Z',
        },
      }).field,
    ).toBe('payload.promisedTo');
  });
});
