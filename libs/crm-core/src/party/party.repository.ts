import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SubjectParties } from '../context/records-written';
import { PartySubject } from './party-link.entity';

@Injectable()
export class PartyRepository {
  /**
   * Replaces the party links of these orders or deliveries. The ordering customer is not repeated
   * here: the order (or delivery) row names it already.
   */
  async replace(tx: EntityManager, subjectType: PartySubject, subjects: SubjectParties[]): Promise<void> {
    const existing = subjects.filter((s) => !s.created).map((s) => s.subjectId);
    if (existing.length)
      await tx.query(`DELETE FROM crm_party_link WHERE subject_type = $1 AND subject_id = ANY($2::uuid[])`, [
        subjectType,
        existing,
      ]);
    const rows = subjects.flatMap((s) =>
      s.parties.map((p) => ({
        subject_id: s.subjectId,
        role: p.role,
        customer_source: p.source,
        customer_external_id: p.externalId,
        tenant: s.tenant,
      })),
    );
    if (!rows.length) return;
    await tx.query(
      `INSERT INTO crm_party_link (subject_type, subject_id, role, customer_source, customer_external_id, tenant)
       SELECT $1, t.subject_id, t.role, t.customer_source, t.customer_external_id, t.tenant
         FROM jsonb_to_recordset($2::jsonb) AS t(subject_id uuid, role text, customer_source text, customer_external_id text, tenant text)
       ON CONFLICT DO NOTHING`,
      [subjectType, JSON.stringify(rows)],
    );
  }
}
