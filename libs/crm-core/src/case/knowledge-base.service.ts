import { Injectable } from '@nestjs/common';
import { CASE_TYPES, CaseType } from '@tradelane/contracts';
import { AppError } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { STANDARD_RESOLUTIONS } from './case.util';

/** The knowledge base: articles per case type, a tenant's own before the standard ones. */
@Injectable()
export class KnowledgeBaseService {
  constructor(private readonly db: Database) {}

  async articles(tenant: string, type?: string) {
    if (type && !(CASE_TYPES as readonly string[]).includes(type))
      throw new AppError('invalid', `type must be one of ${CASE_TYPES.join(', ')}`);
    const own = await this.db.sql(
      `SELECT id, case_type AS "caseType", title, body FROM crm_kb_article WHERE tenant = $1 AND ($2::text IS NULL OR case_type = $2)
        ORDER BY case_type, created_at`,
      [tenant, type ?? null],
    );
    const standard = (type ? [type as CaseType] : CASE_TYPES).flatMap((t) =>
      STANDARD_RESOLUTIONS[t].map((a) => ({ id: null, caseType: t, ...a, standard: true })),
    );
    return [...own, ...standard];
  }

  async addArticle(tenant: string, a: { caseType: CaseType; title: string; body: string }) {
    const [row] = await this.db.sql(
      `INSERT INTO crm_kb_article (tenant, case_type, title, body) VALUES ($1, $2, $3, $4)
       RETURNING id, case_type AS "caseType", title, body`,
      [tenant, a.caseType, a.title, a.body],
    );
    return row;
  }
}
