import { PendingOutboxRow } from '@tradelane/persistence';
import { waves } from './outbox.relay';

const row = (id: string, key: string): PendingOutboxRow => ({
  id,
  exchange: 'x',
  body: '{}',
  envelope: { id: `m${id}`, type: 't', key },
});

describe('outbox waves', () => {
  it('puts the n-th event of each key in wave n, keeping outbox order inside a wave', () => {
    const rows = [row('1', 'a'), row('2', 'b'), row('3', 'a'), row('4', 'c'), row('5', 'a'), row('6', 'b')];
    expect(waves(rows).map((w) => w.map((r) => r.id))).toEqual([['1', '2', '4'], ['3', '6'], ['5']]);
  });

  it('is a single wave when every key appears once', () => {
    expect(waves([row('1', 'a'), row('2', 'b')])).toHaveLength(1);
  });
});
