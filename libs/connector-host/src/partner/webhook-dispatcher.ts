import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createEnvelope } from '@tradelane/contracts';
import { BackgroundJob, BackgroundJobs, EVENTS_EXCHANGE, OutboxRelay } from '@tradelane/messaging';
import { Database, OutboxRepository } from '@tradelane/persistence';
import { CRM_RECORDS, CrmRecordsPort } from '../crm-records.port';
import { SealedWebhookSecret } from './partner-sharing.entity';
import { AttemptResult } from './webhook-sender';
import { WebhookSubscriptionService } from './webhook-subscription.service';
import { nextDelayMs, webhookHeaders } from './webhook.config';

/** How often due deliveries are looked for when nothing woke the dispatcher. */
const POLL_MS = 1000;

interface Claimed {
  id: string;
  tenant: string;
  partner_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  occurred_at: Date;
  payload: { resource?: string; recordId?: string; customerId?: string } & Record<string, unknown>;
  body: string | null;
  attempts: number;
  url: string;
  secrets: SealedWebhookSecret[];
  scopes: string[];
  contact_email: string | null;
}

/**
 * Sends what subscriptions are owed, in the processes that consume the bus: up to
 * TRADELANE_WEBHOOK_CONCURRENCY (16) attempts at once; a subscription whose last attempt here
 * succeeded may use them all, one that failed or is not known yet at most
 * TRADELANE_WEBHOOK_PER_SUBSCRIPTION (4): a receiver that never answers holds those until the
 * timeout, not the dispatcher. A delivery is
 * claimed by counting its attempt and leasing it past the timeout (a process killed mid-attempt
 * leaves it to be tried again, with the same webhook-id). Its body is made at the first attempt
 * from the record as the partner may see it, read in a transaction set to that partner: a record
 * the partner may not see is dropped, never sent; fields outside the subscription's scopes are not
 * in it. Failures wait the published schedule; after the last the delivery is failed and the
 * subscription marked failing, its contact told (crm.partner.webhook-failing.v1).
 */
@Injectable()
export class WebhookDispatcher implements BackgroundJob, OnModuleInit {
  readonly name = 'partner-webhooks';
  private readonly log = new Logger('Webhooks');
  private timer?: NodeJS.Timeout;
  private running = false;
  private passing?: Promise<void>;
  private again = false;
  private readonly inFlight = new Map<string, number>();
  /** Subscriptions whose last attempt here succeeded: they may use every slot. */
  private readonly healthy = new Set<string>();
  private readonly attempts = new Set<Promise<void>>();
  private total = 0;

  constructor(
    private readonly db: Database,
    private readonly subscriptions: WebhookSubscriptionService,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    @Inject(CRM_RECORDS) private readonly crm: CrmRecordsPort,
    private readonly jobs: BackgroundJobs,
  ) {}

  onModuleInit(): void {
    this.jobs.register(this);
  }

  start(): void {
    this.running = true;
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.passing;
    await Promise.allSettled([...this.attempts]);
  }

  /** New deliveries may be due (after the transaction that owed them has had time to commit). */
  wakeSoon(): void {
    setTimeout(() => this.wake(), 20).unref();
  }

  wake(): void {
    if (!this.running) return;
    if (this.passing) {
      this.again = true;
      return;
    }
    this.passing = this.pass()
      .catch((e) => this.log.error(`dispatch failed, will try again: ${(e as Error).message}`))
      .finally(() => {
        this.passing = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Attempts in flight now (the bench and tests wait for 0). */
  get busy(): number {
    return this.total;
  }

  private async pass(): Promise<void> {
    const settings = this.subscriptions.settings;
    const free = settings.concurrency - this.total;
    if (free <= 0) return;
    const limit = (sub: string) => (this.healthy.has(sub) ? settings.concurrency : settings.perSubscription);
    const full = [...this.inFlight].filter(([sub, n]) => n >= limit(sub)).map(([id]) => id);
    const lease = Math.ceil(settings.timeoutMs / 1000) + 30;
    // Candidates in due order (the due index, no sort of the whole backlog), then at most what
    // each subscription may still take; claimed only if still pending and due (another
    // dispatcher may have taken one meanwhile: the UPDATE re-checks under the row lock).
    const candidates = await this.db.sql<{ id: string; subscription_id: string }>(
      `SELECT d.id, d.subscription_id FROM partner_webhook_delivery d
         JOIN partner_webhook_subscription s ON s.id = d.subscription_id AND s.status = 'active'
        WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND NOT (d.subscription_id = ANY ($1::uuid[]))
        ORDER BY d.next_attempt_at LIMIT $2`,
      [full, free * Math.max(1, settings.perSubscription)],
    );
    const room = new Map<string, number>();
    const picked: string[] = [];
    for (const c of candidates) {
      if (picked.length >= free) break;
      const left =
        room.get(c.subscription_id) ?? limit(c.subscription_id) - (this.inFlight.get(c.subscription_id) ?? 0);
      if (left <= 0) continue;
      room.set(c.subscription_id, left - 1);
      picked.push(c.id);
    }
    if (!picked.length) return;
    const claimed = await this.db.sql<Claimed>(
      `WITH claimed AS (
         UPDATE partner_webhook_delivery d
            SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
           FROM partner_webhook_subscription s
          WHERE d.id = ANY ($1::uuid[]) AND s.id = d.subscription_id
            AND d.status = 'pending' AND d.next_attempt_at <= now()
         RETURNING d.id, d.tenant, d.partner_id, d.subscription_id, d.event_id, d.event_type, d.occurred_at,
                   d.payload, d.body, d.attempts, s.url, s.secrets, s.scopes, s.contact_email)
       SELECT * FROM claimed`,
      [picked, lease],
    );
    for (const c of claimed) {
      // Picked within each subscription's room above; passes run one at a time.
      this.inFlight.set(c.subscription_id, (this.inFlight.get(c.subscription_id) ?? 0) + 1);
      this.total++;
      const attempt = this.attempt(c).finally(() => {
        const left = (this.inFlight.get(c.subscription_id) ?? 1) - 1;
        if (left) this.inFlight.set(c.subscription_id, left);
        else this.inFlight.delete(c.subscription_id);
        this.total--;
        this.attempts.delete(attempt);
        this.wake();
      });
      this.attempts.add(attempt);
    }
  }

  private async attempt(c: Claimed): Promise<void> {
    try {
      const body = c.body ?? (await this.bodyOf(c));
      if (body === null) {
        await this.db.sql(`DELETE FROM partner_webhook_delivery WHERE id = $1`, [c.id]);
        return;
      }
      const bytes = Buffer.from(body);
      const secrets = this.subscriptions.secretsOf(c);
      const result = await this.subscriptions.sender.post(
        await this.subscriptions.policies.forTenant(c.tenant),
        c.url,
        webhookHeaders(secrets, c.event_id, bytes),
        bytes,
      );
      await this.settle(c, body, result);
    } catch (e) {
      this.log.error(`webhook ${c.subscription_id} event ${c.event_id}: ${(e as Error).message}`);
    }
  }

  /** The body a partner is sent, or null when it may not see the record (or its scopes do not reach it). */
  private async bodyOf(c: Claimed): Promise<string | null> {
    let data: Record<string, unknown> | null;
    if (c.event_type === 'kpi.target-missed') {
      const customers = await this.crm.partnerCustomers(c.tenant, c.partner_id);
      data =
        c.scopes.includes('scorecard:read') && customers.some((x) => x.id === c.payload.customerId)
          ? c.payload
          : null;
    } else {
      data = await this.crm.partnerRecord(
        c.tenant,
        c.partner_id,
        String(c.payload.resource),
        String(c.payload.recordId),
        c.scopes,
      );
    }
    if (!data) return null;
    const body = JSON.stringify({
      type: c.event_type,
      timestamp: new Date(c.occurred_at).toISOString(),
      data,
    });
    await this.db.sql(`UPDATE partner_webhook_delivery SET body = $2 WHERE id = $1`, [c.id, body]);
    return body;
  }

  private async settle(c: Claimed, body: string, r: AttemptResult): Promise<void> {
    const delay = r.ok ? null : nextDelayMs(this.subscriptions.settings, c.attempts);
    const spent = !r.ok && delay === null;
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO partner_webhook_attempt (tenant, partner_id, subscription_id, delivery_id, event_id, attempt, ok,
                                              status_code, latency_ms, error, response_excerpt)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          c.tenant,
          c.partner_id,
          c.subscription_id,
          c.id,
          c.event_id,
          c.attempts,
          r.ok,
          r.statusCode,
          r.latencyMs,
          r.error,
          r.responseExcerpt,
        ],
      );
      if (r.ok)
        await tx.query(
          `UPDATE partner_webhook_delivery SET status = 'delivered', delivered_at = now(), next_attempt_at = NULL WHERE id = $1`,
          [c.id],
        );
      else if (!spent)
        await tx.query(
          `UPDATE partner_webhook_delivery SET next_attempt_at = now() + make_interval(secs => $2) WHERE id = $1`,
          [c.id, (delay as number) / 1000],
        );
      else {
        await tx.query(
          `UPDATE partner_webhook_delivery SET status = 'failed', next_attempt_at = NULL WHERE id = $1`,
          [c.id],
        );
        const marked = (await tx.query(
          `WITH changed AS (UPDATE partner_webhook_subscription SET status = 'failing', failing_since = now(), updated_at = now()
            WHERE id = $1 AND status = 'active' RETURNING 1) SELECT * FROM changed`,
          [c.subscription_id],
        )) as unknown[];
        if (marked.length) {
          this.log.warn(
            `webhook ${c.subscription_id} to ${c.url} is failing: event ${c.event_id} failed ${c.attempts} attempts (${r.error}); ` +
              `its contact ${c.contact_email ?? '(none)'} is told`,
          );
          await this.outbox.enqueue(tx, [
            {
              exchange: EVENTS_EXCHANGE,
              envelope: createEnvelope({
                type: 'crm.partner.webhook-failing.v1',
                source: 'crm',
                tenant: c.tenant,
                key: c.subscription_id,
                payload: {
                  partnerId: c.partner_id,
                  subscriptionId: c.subscription_id,
                  url: c.url,
                  contactEmail: c.contact_email,
                  lastError: (r.error ?? 'failed').slice(0, 500),
                },
              }),
            },
          ]);
        }
      }
    });
    if (spent) this.relay.wake();
  }
}
