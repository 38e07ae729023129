import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { SatisfactionAnswerDto } from './satisfaction.dto';
import { SatisfactionWeights } from './satisfaction.util';

/** A customer and every customer merged into it (answers follow merges). */
const RELATIONSHIP = `WITH RECURSIVE rel AS (
  SELECT id FROM crm_customer WHERE id = $1
  UNION SELECT c.id FROM crm_customer c JOIN rel ON c.merged_into = rel.id)`;

/** The satisfaction feature's tables: answers (one per source and external id) and weights per customer. */
@Injectable()
export class SatisfactionRepository {
  constructor(private readonly db: Database) {}

  /** Upserts answers by (tenant, source, external id): an answer sent again replaces the first. */
  async save(rows: object[]): Promise<void> {
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
  }

  async setWeights(customerId: string, weights: SatisfactionWeights): Promise<void> {
    await this.db.sql(
      `INSERT INTO crm_satisfaction_weights (customer_id, weights) VALUES ($1, $2)
       ON CONFLICT (customer_id) DO UPDATE SET weights = EXCLUDED.weights, updated_at = now()`,
      [customerId, JSON.stringify(weights)],
    );
  }

  async weightsOf(customerId: string): Promise<SatisfactionWeights> {
    const [w] = await this.db.sql<{ weights: SatisfactionWeights }>(
      `SELECT weights FROM crm_satisfaction_weights WHERE customer_id = $1`,
      [customerId],
    );
    return w?.weights ?? {};
  }

  /** The answers of the relationship (the customer and those merged into it) in a period, optionally of one party / department. */
  answers(
    customerId: string,
    q: { from?: string; to?: string; party?: string; department?: string },
  ): Promise<SatisfactionAnswerDto[]> {
    return this.db.sql<SatisfactionAnswerDto>(
      `${RELATIONSHIP}
       SELECT r.id, r.source, r.external_id AS "externalId", r.party, r.department, r.kind,
              r.raw_score::float AS value, r.scale_min::float AS "scaleMin", r.scale_max::float AS "scaleMax",
              r.score::float AS score, r.comment, r.answered_at AS "answeredAt"
         FROM crm_satisfaction_response r JOIN rel ON rel.id = r.customer_id
        WHERE ($2::timestamptz IS NULL OR r.answered_at >= $2) AND ($3::timestamptz IS NULL OR r.answered_at < $3)
          AND ($4::text IS NULL OR r.party = $4) AND ($5::text IS NULL OR r.department = $5)
        ORDER BY r.party, r.department, r.answered_at, r.source, r.external_id`,
      [customerId, q.from ?? null, q.to ?? null, q.party ?? null, q.department ?? null],
    );
  }
}
