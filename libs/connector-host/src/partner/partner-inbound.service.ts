import { Inject, Injectable, Logger } from '@nestjs/common';
import { Principal } from '@tradelane/access';
import { contractAjv, contractProblem, createEnvelope, Envelope, MessageType } from '@tradelane/contracts';
import { AppError, ProblemField, runScoped } from '@tradelane/http';
import { INBOUND_EXCHANGE, OutboxRelay } from '@tradelane/messaging';
import { Database, OutboxRepository } from '@tradelane/persistence';
import { ValidateFunction } from 'ajv';
import { createHash } from 'node:crypto';
import stableStringify from 'safe-stable-stringify';
import { CRM_RECORDS, CrmRecordsPort } from '../crm-records.port';
import { PARTNER_INBOUND, partnerBodySchema, PartnerInboundKind } from './partner-inbound.schemas';

/** A refused body: 400 (422 for a key reused with another body) with the fields as JSON pointers. */
export class PartnerBodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: ProblemField[] = [],
  ) {
    super(message);
  }
}

/** The answer to a partner's write, stored under its idempotency key. */
export interface PartnerWriteAnswer {
  status: number;
  body: { accepted: number; messageIds: string[]; idempotencyKey: string };
  replayed: boolean;
}

const KEY = /^[\x21-\x7e]{1,200}$/;
const validators = new Map<PartnerInboundKind, ValidateFunction>();

function validatorOf(kind: PartnerInboundKind): ValidateFunction {
  let v = validators.get(kind);
  if (!v) {
    v = contractAjv({ allErrors: true }).compile(partnerBodySchema(kind));
    validators.set(kind, v);
  }
  return v;
}

/**
 * What partners share with us (their orders, stock reports, shipment events): checked against the
 * published contract schemas, each item made the canonical event of its contract with the partner's
 * customer as the customer and `partner:<id>` as the source (attributed to the partner), written to
 * the outbox for the normal pipeline (inbox, dead letters, redrive, ledger) in the same transaction
 * as the answer kept under the request's Idempotency-Key: a retry gets that answer, never a second
 * copy; the same key with another body is refused.
 */
@Injectable()
export class PartnerInboundService {
  private readonly log = new Logger('PartnerInbound');

  constructor(
    private readonly db: Database,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    @Inject(CRM_RECORDS) private readonly crm: CrmRecordsPort,
  ) {}

  async accept(
    p: Principal,
    kind: PartnerInboundKind,
    key: string | undefined,
    body: unknown,
  ): Promise<PartnerWriteAnswer> {
    const partnerId = p.partner as string;
    if (!key || !KEY.test(key))
      throw new PartnerBodyError(
        400,
        'Idempotency-Key: send a key of 1-200 visible ASCII characters, the same on every retry of this request',
      );
    // Keys sorted (safe-stable-stringify): the same body hashes the same in any key order.
    const hash = createHash('sha256')
      .update(`${kind}\n${stableStringify(body)}`)
      .digest('hex');
    const stored = await this.stored(p, key, hash);
    if (stored) return stored;

    const validate = validatorOf(kind);
    if (!validate(body))
      throw new PartnerBodyError(
        400,
        `the body does not match the ${PARTNER_INBOUND[kind].contract} schema`,
        (validate.errors ?? []).map((e) => ({
          pointer:
            e.keyword === 'required'
              ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`
              : e.keyword === 'additionalProperties'
                ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`
                : e.instancePath || '/',
          detail: e.keyword === 'additionalProperties' ? 'is not a field of this schema' : String(e.message),
        })),
      );
    const { customerId, items } = body as { customerId?: string; items: Record<string, unknown>[] };
    const customer = await this.customerOf(p, customerId);
    const envelopes = items.map((item) => this.envelopeOf(p, kind, customer, item));
    const problems = envelopes.flatMap((e, i) => {
      const problem = contractProblem(e);
      if (!problem) return [];
      const field = problem.field.replace(/^payload\.?/, '').replace(/\./g, '/');
      return [{ pointer: `/items/${i}${field ? `/${field}` : ''}`, detail: problem.message }];
    });
    if (problems.length)
      throw new PartnerBodyError(
        400,
        `the body does not match the ${PARTNER_INBOUND[kind].contract} contract`,
        problems,
      );

    const answer = {
      accepted: envelopes.length,
      messageIds: envelopes.map((e) => e.id),
      idempotencyKey: key,
    };
    const first = await runScoped(p.tenant, () =>
      this.db.transaction(async (tx) => {
        const taken = (await tx.query(
          `INSERT INTO partner_idempotency (tenant, principal_id, idempotency_key, partner_id, route, request_hash, status, response)
                VALUES ($1, $2, $3, $4, $5, $6, 202, $7) ON CONFLICT DO NOTHING RETURNING 1`,
          [p.tenant, p.id, key, partnerId, kind, hash, JSON.stringify(answer)],
        )) as unknown[];
        if (!taken.length) return false; // a concurrent first request with this key won
        await this.outbox.enqueue(
          tx,
          envelopes.map((envelope) => ({ exchange: INBOUND_EXCHANGE, envelope })),
        );
        return true;
      }),
    );
    if (!first) {
      const again = await this.stored(p, key, hash);
      if (again) return again;
    }
    this.relay.wake();
    this.log.log(`${p.name} (partner ${partnerId}) shared ${envelopes.length} ${kind} item(s), key ${key}`);
    return { status: 202, body: answer, replayed: false };
  }

  /** The answer kept for this key, or undefined; refuses the key reused with another body. */
  private async stored(p: Principal, key: string, hash: string): Promise<PartnerWriteAnswer | undefined> {
    const [row] = await this.db.sql<{
      request_hash: string;
      status: number;
      response: PartnerWriteAnswer['body'];
    }>(
      `SELECT request_hash, status, response FROM partner_idempotency
        WHERE tenant = $1 AND principal_id = $2 AND idempotency_key = $3`,
      [p.tenant, p.id, key],
    );
    if (!row) return undefined;
    if (row.request_hash !== hash)
      throw new PartnerBodyError(
        422,
        `Idempotency-Key ${key} was used for another request; use a new key for a new request`,
      );
    return { status: row.status, body: row.response, replayed: true };
  }

  /** The customer the items are for, as the source record events name customers by. */
  private async customerOf(p: Principal, customerId: string | undefined) {
    const mine = await this.crm.partnerCustomers(p.tenant, p.partner as string);
    const pick = customerId ? mine.find((c) => c.id === customerId) : mine.length === 1 ? mine[0] : undefined;
    if (!pick)
      throw new PartnerBodyError(
        400,
        customerId
          ? `customerId ${customerId} is not one of your customers`
          : `customerId: you are ${mine.length} customers (${mine.map((c) => c.id).join(', ')}); name the one these items are for`,
        [{ pointer: '/customerId', detail: customerId ? 'is not one of your customers' : 'is required' }],
      );
    const record = pick.records[0];
    if (!record)
      throw new AppError('conflict', `customer ${pick.id} has no source record to attach the items to`);
    return record;
  }

  private envelopeOf(
    p: Principal,
    kind: PartnerInboundKind,
    customer: { source: string; externalId: string },
    item: Record<string, unknown>,
  ): Envelope {
    const source = `partner:${p.partner}`;
    return createEnvelope({
      type: PARTNER_INBOUND[kind].type as MessageType,
      source,
      tenant: p.tenant,
      key: String(item.externalId),
      occurredAt:
        typeof item.asOf === 'string'
          ? item.asOf
          : typeof item.occurredAt === 'string'
            ? item.occurredAt
            : undefined,
      payload: { ...item, customerExternalId: customer.externalId, customerSource: customer.source } as never,
    });
  }
}
