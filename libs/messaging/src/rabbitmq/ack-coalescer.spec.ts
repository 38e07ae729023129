import type { Channel, Message } from 'amqplib';
import { AckCoalescer } from './ack-coalescer';

const msg = (tag: number) => ({ fields: { deliveryTag: tag } }) as unknown as Message;
const flush = () => new Promise((r) => setImmediate(r));

function setup() {
  const acks: [number, boolean][] = [];
  const channel = {
    ack: (m: Message, all: boolean) => acks.push([m.fields.deliveryTag, all]),
  } as unknown as Channel;
  return { acks, coalescer: new AckCoalescer(channel) };
}

describe('AckCoalescer', () => {
  it('sends one multiple-ack for a run of acked deliveries', async () => {
    const { acks, coalescer } = setup();
    const entries = [1, 2, 3].map((t) => coalescer.track(msg(t)));
    entries.forEach((e) => coalescer.ack(e));
    await flush();
    expect(acks).toEqual([[3, true]]);
  });

  it('never acks past an unsettled delivery (a batch still in its transaction)', async () => {
    const { acks, coalescer } = setup();
    const [a, b, c] = [1, 2, 3].map((t) => coalescer.track(msg(t)));
    coalescer.ack(a);
    coalescer.ack(c); // 2 is still open
    await flush();
    expect(acks).toEqual([[1, true]]);
    coalescer.ack(b);
    await flush();
    expect(acks).toEqual([
      [1, true],
      [3, true],
    ]);
  });

  it('steps over deliveries settled another way, acking up to the last acked one', async () => {
    const { acks, coalescer } = setup();
    const [a, b, c] = [1, 2, 3].map((t) => coalescer.track(msg(t)));
    coalescer.ack(a);
    coalescer.ack(b);
    coalescer.settledElsewhere(c); // nacked / requeued: not outstanding at the broker any more
    await flush();
    expect(acks).toEqual([[2, true]]);
  });

  it('sends nothing when nothing was acked', async () => {
    const { acks, coalescer } = setup();
    coalescer.settledElsewhere(coalescer.track(msg(1)));
    await flush();
    expect(acks).toEqual([]);
  });
});
