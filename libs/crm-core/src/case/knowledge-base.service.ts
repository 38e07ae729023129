import { Injectable } from '@nestjs/common';
import { CASE_TYPES, CaseType } from '@tradelane/contracts';
import { AppError } from '@tradelane/http';
import { CaseRepository } from './case.repository';
import { STANDARD_RESOLUTIONS } from './case.util';

/** The knowledge base: articles per case type, a tenant's own before the standard ones. */
@Injectable()
export class KnowledgeBaseService {
  constructor(private readonly cases: CaseRepository) {}

  async articles(tenant: string, type?: string) {
    if (type && !(CASE_TYPES as readonly string[]).includes(type))
      throw new AppError('invalid', `type must be one of ${CASE_TYPES.join(', ')}`);
    const own = await this.cases.articles(tenant, type ?? null);
    const standard = (type ? [type as CaseType] : CASE_TYPES).flatMap((t) =>
      STANDARD_RESOLUTIONS[t].map((a) => ({ id: null, caseType: t, ...a, standard: true })),
    );
    return [...own, ...standard];
  }

  addArticle(tenant: string, a: { caseType: CaseType; title: string; body: string }) {
    return this.cases.addArticle(tenant, a);
  }
}
