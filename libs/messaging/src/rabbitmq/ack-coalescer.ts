import type { Channel, Message } from 'amqplib';

/**
 * Turns per-message acks into one `ack(tag, multiple)` per flush, like the raw baseline's
 * ack-every-batch: the processor acks each delivery after its batch commits, and this sends a single
 * frame for the longest run of settled deliveries from the oldest one. Deliveries settled another
 * way (nack, or acked after a forward) are skipped over: they are no longer outstanding at the broker,
 * so the multiple-ack cannot touch them.
 */
export class AckCoalescer {
  /** Unsettled deliveries in delivery order, with how they were settled once they are. */
  private readonly outstanding: { msg: Message; state: 'open' | 'acked' | 'other' }[] = [];
  private scheduled = false;

  constructor(private readonly channel: Channel) {}

  track(msg: Message): { msg: Message; state: 'open' | 'acked' | 'other' } {
    const entry = { msg, state: 'open' as const as 'open' | 'acked' | 'other' };
    this.outstanding.push(entry);
    return entry;
  }

  ack(entry: { state: 'open' | 'acked' | 'other' }): void {
    entry.state = 'acked';
    this.schedule();
  }

  /** Settled individually by the caller (nack / requeue): just stop tracking it. */
  settledElsewhere(entry: { state: 'open' | 'acked' | 'other' }): void {
    entry.state = 'other';
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    let lastAcked: Message | undefined;
    let n = 0;
    while (n < this.outstanding.length && this.outstanding[n].state !== 'open') {
      if (this.outstanding[n].state === 'acked') lastAcked = this.outstanding[n].msg;
      n++;
    }
    this.outstanding.splice(0, n);
    if (lastAcked) {
      try {
        this.channel.ack(lastAcked, true);
      } catch {
        /* channel closed: the broker redelivers; the inbox makes that harmless */
      }
    }
  }
}
