import { Injectable } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { CustomerDirectory } from '../customer/customer-directory.repository';
import { ResponseKind } from './satisfaction-response.entity';
import { ResponseInputDto } from './satisfaction.dto';
import { Answer, normalise, satisfactionIndex, SatisfactionWeights } from './satisfaction.util';

const DEFAULT_SCALES: Record<ResponseKind, [number, number]> = {
  csat: [1, 5],
  nps: [0, 10],
  review: [1, 5],
  complaint: [0, 1],
};

/** A customer and every customer merged into it (answers follow merges). */
const RELATIONSHIP = `WITH RECURSIVE rel AS (
  SELECT id FROM crm_customer WHERE id = $1
  UNION SELECT c.id FROM crm_customer c JOIN rel ON c.merged_into = rel.id)`;

/** Satisfaction of a relationship: answers recorded via API or import, weights, the index with drill-down. */
@Injectable()
export class SatisfactionService {
  constructor(
    private readonly db: Database,
    private readonly customers: CustomerDirectory,
  ) {}

  private async customer(id: string) {
    const c = await this.customers.find(id);
    if (!c) throw new AppError('not-found', `customer ${id} not found`);
    return c;
  }

  async record(customerId: string, responses: ResponseInputDto[]): Promise<number> {
    const c = await this.customer(customerId);
    const rows = responses.map((r, i) => {
      const [min, max] = [r.scaleMin ?? DEFAULT_SCALES[r.kind][0], r.scaleMax ?? DEFAULT_SCALES[r.kind][1]];
      let score: number;
      try {
        score = normalise(r.value, min, max);
      } catch (e) {
        throw new AppError('invalid', `responses.${i}.value: ${(e as Error).message}`);
      }
      return {
        tenant: c.tenant,
        customer_id: c.id,
        source: r.source,
        external_id: r.externalId,
        party: r.party,
        department: r.department,
        kind: r.kind,
        raw_score: r.value,
        scale_min: min,
        scale_max: max,
        score,
        comment: r.comment ?? null,
        answered_at: r.answeredAt,
      };
    });
    await this.db.sql(
      `INSERT INTO crm_satisfaction_response (tenant, customer_id, source, external_id, party, department, kind, raw_score,
                                              scale_min, scale_max, score, comment, answered_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(tenant text, customer_id uuid, source text, external_id text,
              party text, department text, kind text, raw_score numeric, scale_min numeric, scale_max numeric,
              score numeric, comment text, answered_at timestamptz)
       ON CONFLICT (tenant, source, external_id) DO UPDATE SET customer_id = EXCLUDED.customer_id,
         party = EXCLUDED.party, department = EXCLUDED.department, kind = EXCLUDED.kind,
         raw_score = EXCLUDED.raw_score, scale_min = EXCLUDED.scale_min, scale_max = EXCLUDED.scale_max,
         score = EXCLUDED.score, comment = EXCLUDED.comment, answered_at = EXCLUDED.answered_at`,
      [JSON.stringify(rows)],
    );
    return rows.length;
  }

  async setWeights(customerId: string, weights: SatisfactionWeights): Promise<SatisfactionWeights> {
    const c = await this.customer(customerId);
    const numbers = [
      ...Object.entries(weights.parties ?? {}).map(([k, v]) => [`parties.${k}`, v] as const),
      ...Object.entries(weights.departments ?? {}).flatMap(([p, d]) =>
        Object.entries(d ?? {}).map(([k, v]) => [`departments.${p}.${k}`, v] as const),
      ),
    ];
    for (const [field, v] of numbers)
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new AppError('invalid', `${field} must be a number >= 0`);
    const clean = { parties: weights.parties ?? {}, departments: weights.departments ?? {} };
    await this.db.sql(
      `INSERT INTO crm_satisfaction_weights (customer_id, weights) VALUES ($1, $2)
       ON CONFLICT (customer_id) DO UPDATE SET weights = EXCLUDED.weights, updated_at = now()`,
      [c.id, JSON.stringify(clean)],
    );
    return clean;
  }

  /** The answers of the relationship in a period, optionally of one party / department (the drill-down). */
  async answers(customerId: string, q: { from?: string; to?: string; party?: string; department?: string }) {
    const c = await this.customer(customerId);
    return this.db.sql<Record<string, unknown>>(
      `${RELATIONSHIP}
       SELECT r.id, r.source, r.external_id AS "externalId", r.party, r.department, r.kind,
              r.raw_score::float AS value, r.scale_min::float AS "scaleMin", r.scale_max::float AS "scaleMax",
              r.score::float AS score, r.comment, r.answered_at AS "answeredAt"
         FROM crm_satisfaction_response r JOIN rel ON rel.id = r.customer_id
        WHERE ($2::timestamptz IS NULL OR r.answered_at >= $2) AND ($3::timestamptz IS NULL OR r.answered_at < $3)
          AND ($4::text IS NULL OR r.party = $4) AND ($5::text IS NULL OR r.department = $5)
        ORDER BY r.party, r.department, r.answered_at, r.source, r.external_id`,
      [c.id, q.from ?? null, q.to ?? null, q.party ?? null, q.department ?? null],
    );
  }

  async index(customerId: string, q: { from?: string; to?: string }) {
    const c = await this.customer(customerId);
    const [rows, [w]] = await Promise.all([
      this.answers(c.id, q),
      this.db.sql<{ weights: SatisfactionWeights }>(
        `SELECT weights FROM crm_satisfaction_weights WHERE customer_id = $1`,
        [c.id],
      ),
    ]);
    const weights = w?.weights ?? {};
    const result = satisfactionIndex(rows as unknown as Answer[], weights);
    return { customerId: c.id, ...result, weights };
  }
}
