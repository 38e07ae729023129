import { createEnvelope } from '@tradelane/contracts';
import { DeadLetterDelivery, Delivery } from '../bus.port';
import { ConsumerSpec, EVENTS_EXCHANGE, HEADER, INBOUND_EXCHANGE } from '../topology';
import { InProcessBus } from './in-process.bus';

const spec = (name: string, bindings: string[], prefetch = 10): ConsumerSpec => ({
  name,
  exchange: INBOUND_EXCHANGE,
  bindings,
  prefetch,
  retry: { delaysMs: [20, 40] },
});

const envelope = (
  type: 'erp.customer.upserted.v1' | 'wms.customer.upserted.v1' = 'erp.customer.upserted.v1',
) => createEnvelope({ type, source: 's', key: 'k', payload: { externalId: 'k', name: 'n' } });

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('InProcessBus (same semantics as RabbitMQ)', () => {
  let bus: InProcessBus;
  beforeEach(() => (bus = new InProcessBus()));
  afterEach(() => bus.close());

  it('routes by topic binding to every matching consumer, and not across exchanges', async () => {
    const a: Delivery[] = [];
    const b: Delivery[] = [];
    await bus.consume(spec('a', ['erp.#']), (d) => (a.push(d), d.ack()));
    await bus.consume(spec('b', ['*.customer.upserted.v1']), (d) => (b.push(d), d.ack()));
    await bus.publish(INBOUND_EXCHANGE, envelope('erp.customer.upserted.v1'));
    await bus.publish(INBOUND_EXCHANGE, envelope('wms.customer.upserted.v1'));
    await bus.publish(EVENTS_EXCHANGE, envelope());
    await tick();
    expect(a.map((d) => d.routingKey)).toEqual(['erp.customer.upserted.v1']);
    expect(b.map((d) => d.routingKey)).toEqual(['erp.customer.upserted.v1', 'wms.customer.upserted.v1']);
    expect(a[0].attempt).toBe(1);
  });

  it('never has more than prefetch deliveries unacknowledged', async () => {
    const held: Delivery[] = [];
    await bus.consume(spec('c', ['#'], 2), (d) => held.push(d));
    for (let i = 0; i < 5; i++) await bus.publish(INBOUND_EXCHANGE, envelope());
    await tick();
    expect(held).toHaveLength(2);
    expect(bus.depth('c')).toBe(3);
    held[0].ack();
    await tick();
    expect(held).toHaveLength(3);
  });

  it('redelivers after the retry delay with the next attempt number', async () => {
    const seen: { attempt: number; at: number }[] = [];
    await bus.consume(spec('d', ['#']), (d) => {
      seen.push({ attempt: d.attempt, at: Date.now() });
      if (d.attempt < 3) void d.retry(d.attempt === 1 ? 20 : 40, { code: 'X', message: 'x' });
      else d.ack();
    });
    await bus.publish(INBOUND_EXCHANGE, envelope());
    await tick(150);
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(15);
    expect(seen[2].at - seen[1].at).toBeGreaterThanOrEqual(35);
  });

  it('hands dead letters, with their reason, to the dead-letter listener (kept until one is attached)', async () => {
    await bus.consume(
      spec('e', ['#']),
      (d) => void d.deadLetter({ code: 'BAD', message: 'bad', field: 'payload.x' }),
    );
    await bus.publish(INBOUND_EXCHANGE, envelope());
    await tick();
    const dead: DeadLetterDelivery[] = [];
    await bus.consumeDeadLetters((d) => dead.push(d));
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      consumer: 'e',
      attempts: 1,
      reason: { code: 'BAD', field: 'payload.x' },
    });
  });

  it('sends a redriven message to one consumer only, flagged as redriven', async () => {
    const f: Delivery[] = [];
    const g: Delivery[] = [];
    await bus.consume(spec('f', ['#']), (d) => (f.push(d), d.ack()));
    await bus.consume(spec('g', ['#']), (d) => (g.push(d), d.ack()));
    const e = envelope();
    await bus.sendToConsumer('f', {
      body: Buffer.from(JSON.stringify(e)),
      routingKey: e.type,
      headers: { [HEADER.redriven]: 1 },
    });
    await tick();
    expect(f.map((d) => d.redriven)).toEqual([true]);
    expect(g).toHaveLength(0);
    await expect(
      bus.sendToConsumer('nobody', { body: Buffer.alloc(0), routingKey: '', headers: {} }),
    ).rejects.toThrow(/no consumer named nobody/);
  });

  it('refuses to settle a delivery twice', async () => {
    let delivery: Delivery | undefined;
    await bus.consume(spec('h', ['#']), (d) => (delivery = d));
    await bus.publish(INBOUND_EXCHANGE, envelope());
    await tick();
    delivery?.ack();
    expect(() => delivery?.ack()).toThrow(/settled twice/);
  });
});
