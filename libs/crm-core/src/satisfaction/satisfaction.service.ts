import { Injectable } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { CustomerDirectory } from '../customer/customer-directory';
import { ResponseKind } from './satisfaction-response.entity';
import { ResponseInputDto } from './satisfaction.dto';
import { SatisfactionRepository } from './satisfaction.repository';
import { Answer, normalise, satisfactionIndex, SatisfactionWeights } from './satisfaction.util';

const DEFAULT_SCALES: Record<ResponseKind, [number, number]> = {
  csat: [1, 5],
  nps: [0, 10],
  review: [1, 5],
  complaint: [0, 1],
};

/** Satisfaction of a relationship: answers recorded via API or import, weights, the index with drill-down. */
@Injectable()
export class SatisfactionService {
  constructor(
    private readonly answerStore: SatisfactionRepository,
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
    await this.answerStore.save(rows);
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
    await this.answerStore.setWeights(c.id, clean);
    return clean;
  }

  /** The answers of the relationship in a period, optionally of one party / department (the drill-down). */
  async answers(customerId: string, q: { from?: string; to?: string; party?: string; department?: string }) {
    const c = await this.customer(customerId);
    return this.answerStore.answers(c.id, q);
  }

  async index(customerId: string, q: { from?: string; to?: string }) {
    const c = await this.customer(customerId);
    const [rows, weights] = await Promise.all([this.answers(c.id, q), this.answerStore.weightsOf(c.id)]);
    const result = satisfactionIndex(rows as unknown as Answer[], weights);
    return { customerId: c.id, ...result, weights };
  }
}
