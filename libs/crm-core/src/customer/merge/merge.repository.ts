import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { CustomerMerge, MergeKind } from './customer-merge.entity';
import { MergeProposal, ProposalStatus } from './merge-proposal.entity';

export interface NewMerge {
  tenant: string;
  survivorId: string;
  mergedId: string;
  kind: MergeKind;
  rule: string;
  evidence: string | null;
  actor: string;
}

export interface MovedRecord {
  id: string;
  source: string;
  externalId: string;
}

@Injectable()
export class MergeRepository {
  constructor(private readonly db: Database) {}

  /** Moves every record of `from` to `to`; returns the records moved. */
  async moveAllRecords(tx: EntityManager, from: string, to: string): Promise<MovedRecord[]> {
    const rows: { id: string; source: string; external_id: string }[] = await tx.query(
      `WITH moved AS (UPDATE crm_customer_record SET customer_id = $2, updated_at = now() WHERE customer_id = $1
                      RETURNING id, source, external_id)
       SELECT * FROM moved ORDER BY source, external_id`,
      [from, to],
    );
    return rows.map((r) => ({ id: r.id, source: r.source, externalId: r.external_id }));
  }

  /** Moves the given records back to `to`; returns them. */
  async moveRecords(tx: EntityManager, ids: string[], to: string): Promise<MovedRecord[]> {
    const rows: { id: string; source: string; external_id: string }[] = await tx.query(
      `WITH moved AS (UPDATE crm_customer_record SET customer_id = $2, updated_at = now() WHERE id = ANY($1::uuid[])
                      RETURNING id, source, external_id)
       SELECT * FROM moved ORDER BY source, external_id`,
      [ids, to],
    );
    return rows.map((r) => ({ id: r.id, source: r.source, externalId: r.external_id }));
  }

  /** Current customer of each record. */
  async customersOfRecords(tx: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const rows: { id: string; customer_id: string }[] = await tx.query(
      `SELECT id, customer_id FROM crm_customer_record WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.customer_id]));
  }

  async setStatus(tx: EntityManager, id: string, mergedInto: string | null): Promise<void> {
    await tx.query(
      `UPDATE crm_customer SET status = $2, merged_into = $3, updated_at = now() WHERE id = $1`,
      [id, mergedInto ? 'merged' : 'active', mergedInto],
    );
  }

  async insertMerge(tx: EntityManager, m: NewMerge, moved: string[]): Promise<CustomerMerge> {
    return tx
      .getRepository(CustomerMerge)
      .save(tx.getRepository(CustomerMerge).create({ ...m, movedRecordIds: moved }));
  }

  async lockMerge(tx: EntityManager, id: string): Promise<CustomerMerge | null> {
    return tx.getRepository(CustomerMerge).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async markUnmerged(tx: EntityManager, id: string, actor: string): Promise<void> {
    await tx.query(`UPDATE crm_customer_merge SET unmerged_at = now(), unmerged_by = $2 WHERE id = $1`, [
      id,
      actor,
    ]);
  }

  /** The active (not undone) merge that moved this record, newest first. */
  async lastMergeMoving(tx: EntityManager, recordId: string): Promise<CustomerMerge | null> {
    return tx
      .getRepository(CustomerMerge)
      .createQueryBuilder('m')
      .where(':id = ANY(m.moved_record_ids)', { id: recordId })
      .andWhere('m.unmerged_at IS NULL')
      .orderBy('m.merged_at', 'DESC')
      .getOne();
  }

  /** Pairs a person separated again: automatic matching leaves them apart. */
  async blockedPairs(tx: EntityManager, ids: string[]): Promise<Set<string>> {
    const rows: { a: string; b: string }[] = await tx.query(
      `SELECT survivor_id AS a, merged_id AS b FROM crm_customer_merge
        WHERE unmerged_at IS NOT NULL AND survivor_id = ANY($1::uuid[]) AND merged_id = ANY($1::uuid[])`,
      [ids],
    );
    return new Set(rows.flatMap((r) => [`${r.a}|${r.b}`, `${r.b}|${r.a}`]));
  }

  async proposeMany(
    tx: EntityManager,
    rows: { tenant: string; customerA: string; customerB: string; rule: string; evidence: string }[],
  ): Promise<number> {
    if (!rows.length) return 0;
    const input = rows.map((r) => ({
      tenant: r.tenant,
      customer_a: r.customerA,
      customer_b: r.customerB,
      rule: r.rule,
      evidence: r.evidence,
    }));
    const out: unknown[] = await tx.query(
      `INSERT INTO crm_merge_proposal (tenant, customer_a, customer_b, rule, evidence)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(tenant text, customer_a uuid, customer_b uuid, rule text, evidence text)
       ON CONFLICT (tenant, customer_a, customer_b) DO NOTHING RETURNING id`,
      [JSON.stringify(input)],
    );
    return out.length;
  }

  /** Pending proposals between customers that are now one are no longer needed. */
  async supersedeProposals(tx: EntityManager, customerId: string): Promise<void> {
    await tx.query(
      `UPDATE crm_merge_proposal SET status = 'superseded', decided_at = now()
        WHERE status = 'pending' AND (customer_a = $1 OR customer_b = $1)`,
      [customerId],
    );
  }

  async lockProposal(tx: EntityManager, id: string): Promise<MergeProposal | null> {
    return tx.getRepository(MergeProposal).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async decideProposal(
    tx: EntityManager,
    id: string,
    status: ProposalStatus,
    actor: string,
    mergeId: string | null,
  ): Promise<void> {
    await tx.query(
      `UPDATE crm_merge_proposal SET status = $2, decided_by = $3, decided_at = now(), merge_id = $4 WHERE id = $1`,
      [id, status, actor, mergeId],
    );
  }

  listProposals(
    tenant: string,
    status: ProposalStatus,
    limit: number,
    offset: number,
  ): Promise<[MergeProposal[], number]> {
    return this.db.read((m) =>
      m.getRepository(MergeProposal).findAndCount({
        where: { tenant, status },
        order: { createdAt: 'DESC', id: 'ASC' },
        take: limit,
        skip: offset,
      }),
    );
  }

  listMerges(customerId: string, limit: number, offset: number): Promise<[CustomerMerge[], number]> {
    return this.db.read((m) =>
      m.getRepository(CustomerMerge).findAndCount({
        where: [{ survivorId: customerId }, { mergedId: customerId }],
        order: { mergedAt: 'DESC', id: 'ASC' },
        take: limit,
        skip: offset,
      }),
    );
  }
}
