import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ERASED, PersonalData, PersonalDataHolder } from '../context/personal-data';

/** Case messages a person wrote (author) with the files they sent, and cases assigned to them. */
@Injectable()
export class CasePrivacy implements PersonalDataHolder, OnModuleInit {
  readonly holds = 'case messages';

  constructor(private readonly registry: PersonalData) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  find(tx: EntityManager, tenant: string, email: string): Promise<Record<string, unknown>[]> {
    return tx.query(
      `SELECT m.id, m.case_id AS "caseId", c.number AS "caseNumber", m.author, m.body, m.at
         FROM crm_case_message m JOIN crm_case c ON c.id = m.case_id
        WHERE c.tenant = $1 AND lower(m.author) = $2
       UNION ALL
       SELECT a.id, c.id, c.number, m.author, 'attached ' || a.filename, a.created_at
         FROM crm_case_attachment a JOIN crm_case_message m ON m.id = a.message_id JOIN crm_case c ON c.id = a.case_id
        WHERE c.tenant = $1 AND lower(m.author) = $2
       UNION ALL
       SELECT NULL, c.id, c.number, c.assignee, 'assignee of the case', c.updated_at
         FROM crm_case c WHERE c.tenant = $1 AND lower(c.assignee) = $2
        ORDER BY 6`,
      [tenant, email],
    );
  }

  async erase(tx: EntityManager, tenant: string, email: string) {
    // What the person wrote or sent is theirs: the body and their files go with the name; the case stays.
    const [f]: { n: number }[] = await tx.query(
      `WITH done AS (
         DELETE FROM crm_case_attachment a USING crm_case_message m, crm_case c
          WHERE m.id = a.message_id AND c.id = a.case_id AND c.tenant = $1 AND lower(m.author) = $2
          RETURNING 1)
       SELECT count(*)::int AS n FROM done`,
      [tenant, email],
    );
    const [m]: { n: number }[] = await tx.query(
      `WITH done AS (
         UPDATE crm_case_message m SET author = $3, body = $3
           FROM crm_case c WHERE c.id = m.case_id AND c.tenant = $1 AND lower(m.author) = $2
          RETURNING 1)
       SELECT count(*)::int AS n FROM done`,
      [tenant, email, ERASED],
    );
    const [a]: { n: number }[] = await tx.query(
      `WITH done AS (UPDATE crm_case SET assignee = NULL, updated_at = now()
                      WHERE tenant = $1 AND lower(assignee) = $2 RETURNING 1)
       SELECT count(*)::int AS n FROM done`,
      [tenant, email],
    );
    return { rows: f.n + m.n + a.n };
  }
}
