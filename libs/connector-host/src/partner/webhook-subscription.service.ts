import { Inject, Injectable, Logger } from '@nestjs/common';
import { Principal } from '@tradelane/access';
import { newMessageId } from '@tradelane/contracts';
import { AppError, noteChange } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { SECRET_BOX, SecretBoxProvider } from '../connector-instance.service';
import { OutboundPolicies } from '../outbound-policies';
import { SealedWebhookSecret } from './partner-sharing.entity';
import { WebhookSender } from './webhook-sender';
import {
  newWebhookSecret,
  WEBHOOK_EVENT_NAMES,
  webhookHeaders,
  webhookSettings,
  WebhookSettings,
} from './webhook.config';

const PURPOSE = 'partner-webhook-secret';

/** A subscription as its partner sees it (never the secrets). */
export interface SubscriptionView {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  contactEmail: string | null;
  status: string;
  failingSince: string | null;
  verifiedAt: string | null;
  /** How many secrets sign now (2 during a rotation's overlap). */
  signingSecrets: number;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  tenant: string;
  partner_id: string;
  url: string;
  event_types: string[];
  description: string | null;
  contact_email: string | null;
  secrets: SealedWebhookSecret[];
  status: string;
  failing_since: Date | null;
  verified_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, tenant, partner_id, url, event_types, description, contact_email, secrets, status,
  failing_since, verified_at, created_at, updated_at`;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * A partner client's webhook subscriptions. Every query of a partner's request runs in its scope:
 * the database shows and lets it change only its own (policy partner_id = tradelane_partner()).
 * A new URL is checked against the outbound policy (no loopback, private or metadata address unless
 * allowed) and verified: a signed `webhook.verification` event must get a 2xx before it is stored.
 */
@Injectable()
export class WebhookSubscriptionService {
  private readonly log = new Logger('Webhooks');
  readonly settings: WebhookSettings = webhookSettings();
  readonly sender: WebhookSender;

  constructor(
    private readonly db: Database,
    @Inject(SECRET_BOX) private readonly box: SecretBoxProvider,
    readonly policies: OutboundPolicies,
  ) {
    this.sender = new WebhookSender(this.settings.timeoutMs);
  }

  async create(
    p: Principal,
    o: { url: string; eventTypes: string[]; description?: string; contactEmail?: string },
  ): Promise<SubscriptionView & { secret: string }> {
    const eventTypes = this.checkTypes(o.eventTypes);
    const secret = newWebhookSecret();
    await this.verify(p.tenant, o.url, [secret]);
    const sealed: SealedWebhookSecret[] = [
      { sealed: this.box().seal(secret, PURPOSE), createdAt: new Date().toISOString(), expiresAt: null },
    ];
    const [row] = await this.db.sql<Row>(
      `INSERT INTO partner_webhook_subscription
         (tenant, partner_id, principal_id, scopes, url, event_types, description, contact_email, secrets, verified_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now()) RETURNING ${COLUMNS}`,
      [
        p.tenant,
        p.partner,
        p.id,
        [...p.permissions],
        o.url,
        eventTypes,
        o.description ?? null,
        o.contactEmail ?? null,
        JSON.stringify(sealed),
      ],
    );
    const view = viewOf(row);
    noteChange({ targetType: 'webhook-subscription', targetId: row.id, before: null, after: { ...view } });
    this.log.log(`partner ${p.partner}: webhook ${row.id} to ${o.url} for ${eventTypes.join(', ')}`);
    return { ...view, secret };
  }

  async list(): Promise<SubscriptionView[]> {
    const rows = await this.db.sql<Row>(
      `SELECT ${COLUMNS} FROM partner_webhook_subscription ORDER BY created_at, id`,
    );
    return rows.map(viewOf);
  }

  async get(id: string): Promise<SubscriptionView> {
    return viewOf(await this.row(id));
  }

  async update(
    id: string,
    o: { url?: string; eventTypes?: string[]; description?: string; contactEmail?: string; status?: string },
  ): Promise<SubscriptionView> {
    const before = await this.row(id);
    if (o.url && o.url !== before.url) await this.verify(before.tenant, o.url, this.secretsOf(before));
    const [row] = await this.db.sql<Row>(
      `WITH changed AS (UPDATE partner_webhook_subscription
          SET url = coalesce($2, url), event_types = coalesce($3, event_types),
              description = coalesce($4, description), contact_email = coalesce($5, contact_email),
              status = coalesce($6, status),
              failing_since = CASE WHEN $6 = 'active' THEN NULL ELSE failing_since END,
              updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}) SELECT * FROM changed`,
      [
        id,
        o.url ?? null,
        o.eventTypes ? this.checkTypes(o.eventTypes) : null,
        o.description ?? null,
        o.contactEmail ?? null,
        o.status ?? null,
      ],
    );
    noteChange({
      targetType: 'webhook-subscription',
      targetId: id,
      before: { ...viewOf(before) },
      after: { ...viewOf(row) },
    });
    return viewOf(row);
  }

  async remove(id: string): Promise<void> {
    const before = await this.row(id);
    await this.db.sql(`DELETE FROM partner_webhook_delivery WHERE subscription_id = $1`, [id]);
    await this.db.sql(`DELETE FROM partner_webhook_subscription WHERE id = $1`, [id]);
    noteChange({
      targetType: 'webhook-subscription',
      targetId: id,
      before: { ...viewOf(before) },
      after: null,
    });
  }

  /**
   * A new secret; the ones signing now keep signing for `overlapHours` (default 24), so the
   * partner can switch its receiver over without a failed delivery.
   */
  async rotate(
    id: string,
    overlapHours = this.settings.overlapHours,
  ): Promise<SubscriptionView & { secret: string }> {
    const row = await this.row(id);
    const secret = newWebhookSecret();
    const until = new Date(Date.now() + overlapHours * 3600_000).toISOString();
    const now = Date.now();
    const secrets: SealedWebhookSecret[] = [
      { sealed: this.box().seal(secret, PURPOSE), createdAt: new Date().toISOString(), expiresAt: null },
      ...row.secrets
        .filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now)
        .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < until ? s.expiresAt : until })),
    ];
    const [after] = await this.db.sql<Row>(
      `WITH changed AS (UPDATE partner_webhook_subscription SET secrets = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}) SELECT * FROM changed`,
      [id, JSON.stringify(secrets)],
    );
    noteChange({
      targetType: 'webhook-subscription',
      targetId: id,
      before: { signingSecrets: viewOf(row).signingSecrets },
      after: { signingSecrets: viewOf(after).signingSecrets, oldSecretsUntil: until },
    });
    return { ...viewOf(after), secret };
  }

  /** The delivery log, newest first. */
  async attempts(id: string, q: { limit: number; before?: string }) {
    await this.row(id);
    const rows = await this.db.sql<Record<string, unknown>>(
      `SELECT id, event_id AS "eventId", delivery_id AS "deliveryId", attempt, at, ok,
              status_code AS "statusCode", latency_ms AS "latencyMs", error, response_excerpt AS "responseExcerpt"
         FROM partner_webhook_attempt
        WHERE subscription_id = $1 AND ($2::timestamptz IS NULL OR at < $2)
        ORDER BY at DESC, id DESC LIMIT $3`,
      [id, q.before ?? null, q.limit + 1],
    );
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit);
    return { items, nextBefore: more ? iso(items[items.length - 1].at as Date) : null };
  }

  /** The events owed to the subscription, newest first. */
  async deliveries(id: string, q: { limit: number; status?: string }) {
    await this.row(id);
    return {
      items: await this.db.sql(
        `SELECT id, event_id AS "eventId", event_type AS "eventType", occurred_at AS "occurredAt", status,
                attempts, next_attempt_at AS "nextAttemptAt", delivered_at AS "deliveredAt"
           FROM partner_webhook_delivery
          WHERE subscription_id = $1 AND ($2::text IS NULL OR status = $2)
          ORDER BY occurred_at DESC, id DESC LIMIT $3`,
        [id, q.status ?? null, q.limit],
      ),
    };
  }

  /**
   * Sends the events of a time window again, with their original ids (a receiver that dedupes by
   * webhook-id ignores what it has): each goes back to pending with a fresh schedule.
   */
  async replay(id: string, since: Date, until: Date): Promise<{ replayed: number }> {
    if (until <= since) throw new AppError('invalid', 'until must be after since');
    await this.row(id);
    const rows = await this.db.sql(
      `WITH changed AS (UPDATE partner_webhook_delivery SET status = 'pending', attempts = 0, next_attempt_at = now(), delivered_at = NULL
        WHERE subscription_id = $1 AND occurred_at >= $2 AND occurred_at < $3 RETURNING 1) SELECT * FROM changed`,
      [id, since, until],
    );
    noteChange({
      targetType: 'webhook-subscription',
      targetId: id,
      before: null,
      after: { replayed: rows.length, since: since.toISOString(), until: until.toISOString() },
    });
    return { replayed: rows.length };
  }

  /** The secrets signing now, opened (for the dispatcher, which reads the row itself). */
  secretsOf(row: { secrets: SealedWebhookSecret[] }, now = Date.now()): string[] {
    return row.secrets
      .filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now)
      .map((s) => this.box().open(s.sealed, PURPOSE));
  }

  private async row(id: string): Promise<Row> {
    const [row] = await this.db.sql<Row>(
      `SELECT ${COLUMNS} FROM partner_webhook_subscription WHERE id = $1`,
      [id],
    );
    if (!row) throw new AppError('not-found', `webhook subscription ${id} not found`);
    return row;
  }

  private checkTypes(types: string[]): string[] {
    const unknown = types.filter((t) => !(WEBHOOK_EVENT_NAMES as string[]).includes(t));
    if (unknown.length)
      throw new AppError(
        'invalid',
        `eventTypes: ${unknown.join(', ')} unknown (one of ${WEBHOOK_EVENT_NAMES.join(', ')})`,
      );
    return [...new Set(types)];
  }

  /** The URL is reachable under the policy and answers a signed verification event with a 2xx. */
  private async verify(tenant: string, url: string, secrets: string[]): Promise<void> {
    const policy = await this.policies.forTenant(tenant);
    const refused = await policy.checkUrl(url);
    if (refused) throw new AppError('invalid', `url: ${refused}`);
    const id = newMessageId();
    const body = Buffer.from(
      JSON.stringify({ type: 'webhook.verification', timestamp: new Date().toISOString(), data: { id } }),
    );
    const r = await this.sender.post(policy, url, webhookHeaders(secrets, id, body), body);
    if (!r.ok)
      throw new AppError(
        'invalid',
        `url: the endpoint did not accept the signed verification event (${r.error}); it must answer 2xx`,
      );
  }
}

function viewOf(r: Row): SubscriptionView {
  const now = Date.now();
  return {
    id: r.id,
    url: r.url,
    eventTypes: r.event_types,
    description: r.description,
    contactEmail: r.contact_email,
    status: r.status,
    failingSince: iso(r.failing_since),
    verifiedAt: iso(r.verified_at),
    signingSecrets: r.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now).length,
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
  };
}
