import { Inject, Injectable } from '@nestjs/common';
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { AppError, noteChange, visibleToRequest } from '@tradelane/http';
import { RecordsWritten } from '../../context/records-written';
import { UnitOfWork } from '../../context/unit-of-work';
import { CRM_CONFIG, CrmConfig } from '../../crm-core.config';
import { CustomerGoldenService } from '../customer-golden.service';
import { CRM_SOURCE } from '../customer.constants';
import { CustomerRepository } from '../customer.repository';
import { Identifier } from '../identifier.util';
import { CustomerMerge, MergeKind } from './customer-merge.entity';
import { MergeProposal, ProposalStatus } from './merge-proposal.entity';
import { MergeRepository } from './merge.repository';

/** A weak identifier shared by more customers than this says nothing (a big group's mail domain). */
const MAX_PROPOSALS_PER_VALUE = 20;

export interface MergeReason {
  kind: MergeKind;
  rule: string;
  evidence: string | null;
  actor: string;
  /** The inbound event that led to it, for correlation. */
  cause?: Pick<Envelope, 'id' | 'correlationId'>;
}

type TenantIdentifier = Identifier & { tenant: string };
/** Text key of an identifier (advisory locks hash it; PostgreSQL text cannot hold NUL). */
const idKey = (i: TenantIdentifier) => JSON.stringify([i.tenant, i.scheme, i.value]);

/** Identity resolution: automatic merges on strong identifiers, proposals on weak ones, merge and unmerge. */
@Injectable()
export class MergeService {
  constructor(
    private readonly recordsWritten: RecordsWritten,
    private readonly merges: MergeRepository,
    private readonly customers: CustomerRepository,
    private readonly golden: CustomerGoldenService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /** Identifier keys identity resolution must serialise on (see CustomerRepository.lockIdentifiers). */
  matchingKeys(ids: TenantIdentifier[]): string[] {
    return ids.filter((i) => (this.config.matchRules[i.scheme] ?? 'off') !== 'off').map(idKey);
  }

  /**
   * Runs the match rules over identifiers seen for the first time: customers sharing a strong one
   * are merged into the oldest of them (unless a person separated them before); customers sharing a
   * weak one get a merge proposal. Returns the survivors, whose unified fields need refreshing.
   */
  async match(uow: UnitOfWork, fresh: TenantIdentifier[], cause?: Envelope): Promise<string[]> {
    const rules = this.config.matchRules;
    const byTenant = new Map<string, TenantIdentifier[]>();
    for (const i of fresh) {
      const action = rules[i.scheme] ?? 'off';
      if (action !== 'off') byTenant.set(i.tenant, [...(byTenant.get(i.tenant) ?? []), i]);
    }
    const survivors: string[] = [];
    for (const [tenant, ids] of byTenant) {
      const shared = await this.customers.customersSharing(uow.tx, tenant, ids);
      const groups = new Map<string, { scheme: string; value: string; customers: Set<string> }>();
      for (const s of shared) {
        const k = `${s.scheme}\u0000${s.value}`;
        const g = groups.get(k) ?? { scheme: s.scheme, value: s.value, customers: new Set<string>() };
        g.customers.add(s.customerId);
        groups.set(k, g);
      }
      const strong = [...groups.values()].filter((g) => rules[g.scheme] === 'auto' && g.customers.size > 1);
      const weak = [...groups.values()].filter(
        (g) =>
          rules[g.scheme] === 'propose' &&
          g.customers.size > 1 &&
          g.customers.size <= MAX_PROPOSALS_PER_VALUE,
      );
      // Proposals first: a merge below supersedes those it makes moot.
      await this.propose(uow, tenant, weak);
      survivors.push(...(await this.autoMerge(uow, tenant, strong, cause)));
    }
    return survivors;
  }

  private async autoMerge(
    uow: UnitOfWork,
    tenant: string,
    groups: { scheme: string; value: string; customers: Set<string> }[],
    cause?: Envelope,
  ): Promise<string[]> {
    if (!groups.length) return [];
    // Connected components over shared identifiers (union-find), remembering the linking identifier.
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      while (parent.get(x) !== x) x = parent.get(x) as string;
      return x;
    };
    const evidence = new Map<string, { scheme: string; value: string }>();
    for (const g of groups) {
      const [first, ...rest] = [...g.customers];
      for (const c of g.customers) if (!parent.has(c)) parent.set(c, c);
      for (const c of rest) {
        const a = find(first);
        const b = find(c);
        if (a !== b) parent.set(b, a);
        if (!evidence.has(c)) evidence.set(c, g);
        if (!evidence.has(first)) evidence.set(first, g);
      }
    }
    const all = [...parent.keys()];
    const rows = await this.customers.lockCustomers(uow.tx, all);
    const blocked = await this.merges.blockedPairs(uow.tx, all);
    const components = new Map<string, typeof rows>();
    for (const r of rows.filter((r) => r.status === 'active'))
      components.set(find(r.id), [...(components.get(find(r.id)) ?? []), r]);
    const survivors: string[] = [];
    for (const members of components.values()) {
      if (members.length < 2) continue;
      members.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
      const [survivor, ...others] = members;
      for (const other of others) {
        if (blocked.has(`${survivor.id}|${other.id}`)) continue;
        const e = evidence.get(other.id) as { scheme: string; value: string };
        await this.mergeLocked(uow, tenant, survivor.id, other.id, {
          kind: 'auto',
          rule: e.scheme,
          evidence: e.value,
          actor: 'match-rules',
          cause,
        });
      }
      survivors.push(survivor.id);
    }
    return survivors;
  }

  private async propose(
    uow: UnitOfWork,
    tenant: string,
    groups: { scheme: string; value: string; customers: Set<string> }[],
  ): Promise<void> {
    const rows = [];
    for (const g of groups) {
      const ids = [...g.customers].sort();
      for (let i = 0; i < ids.length; i++)
        for (let j = i + 1; j < ids.length; j++)
          rows.push({ tenant, customerA: ids[i], customerB: ids[j], rule: g.scheme, evidence: g.value });
    }
    await this.merges.proposeMany(uow.tx, rows);
  }

  /** Merges `mergedId` into `survivorId` (operator or accepted proposal). */
  async merge(
    uow: UnitOfWork,
    survivorId: string,
    mergedId: string,
    reason: MergeReason,
  ): Promise<CustomerMerge> {
    if (survivorId === mergedId) throw new AppError('invalid', 'a customer cannot be merged into itself');
    const rows = await this.customers.lockCustomers(uow.tx, [survivorId, mergedId]);
    for (const id of [survivorId, mergedId]) {
      const row = rows.find((r) => r.id === id);
      if (!row || !visibleToRequest(row.tenant)) throw new AppError('not-found', `customer ${id} not found`);
      if (row.status !== 'active')
        throw new AppError('conflict', `customer ${id} is already merged into ${row.mergedInto}`);
    }
    if (rows[0].tenant !== rows[1].tenant)
      throw new AppError('invalid', 'customers belong to different tenants');
    const merge = await this.mergeLocked(uow, rows[0].tenant, survivorId, mergedId, reason);
    await this.golden.refresh(uow.tx, [survivorId]);
    noteChange({
      targetType: 'customer',
      targetId: survivorId,
      before: { survivor: { id: survivorId, status: 'active' }, merged: { id: mergedId, status: 'active' } },
      after: {
        mergeId: merge.id,
        survivorId,
        mergedId,
        mergedStatus: 'merged',
        movedRecords: merge.movedRecordIds.length,
        reason: reason.evidence,
      },
    });
    return merge;
  }

  private async mergeLocked(
    uow: UnitOfWork,
    tenant: string,
    survivorId: string,
    mergedId: string,
    reason: MergeReason,
  ): Promise<CustomerMerge> {
    const moved = await this.merges.moveAllRecords(uow.tx, mergedId, survivorId);
    await this.merges.setStatus(uow.tx, mergedId, survivorId);
    const merge = await this.merges.insertMerge(
      uow.tx,
      {
        tenant,
        survivorId,
        mergedId,
        kind: reason.kind,
        rule: reason.rule,
        evidence: reason.evidence,
        actor: reason.actor,
      },
      moved.map((m) => m.id),
    );
    await this.merges.supersedeProposals(uow.tx, mergedId);
    await this.recordsWritten.changed(uow, 'customer', tenant, [survivorId, mergedId]);
    await uow.emit([
      createEnvelope({
        type: 'crm.customer.merged.v1',
        source: CRM_SOURCE,
        tenant,
        key: survivorId,
        causedBy: reason.cause,
        payload: {
          survivorId,
          mergedId,
          mergeId: merge.id,
          rule: reason.rule,
          movedIdentities: moved.map((m) => ({ source: m.source, externalId: m.externalId })),
        },
      }),
    ]);
    return merge;
  }

  /**
   * Undoes a merge: exactly the records it moved go back to the restored customer (and with them
   * every order, delivery, invoice and interaction that names them). Later merges of the survivor
   * must be undone first. Automatic matching will not merge the pair again.
   */
  async unmerge(uow: UnitOfWork, mergeId: string, actor: string): Promise<CustomerMerge> {
    const merge = await this.merges.lockMerge(uow.tx, mergeId);
    if (!merge || !visibleToRequest(merge.tenant))
      throw new AppError('not-found', `merge ${mergeId} not found`);
    if (merge.unmergedAt)
      throw new AppError(
        'conflict',
        `merge ${mergeId} was already undone at ${merge.unmergedAt.toISOString()}`,
      );
    const rows = await this.customers.lockCustomers(uow.tx, [merge.survivorId, merge.mergedId]);
    const merged = rows.find((r) => r.id === merge.mergedId);
    if (!merged || merged.mergedInto !== merge.survivorId)
      throw new AppError(
        'conflict',
        `customer ${merge.mergedId} is no longer merged into ${merge.survivorId}`,
      );
    const current = await this.merges.customersOfRecords(uow.tx, merge.movedRecordIds);
    for (const recordId of merge.movedRecordIds) {
      if (current.get(recordId) === merge.survivorId) continue;
      const later = await this.merges.lastMergeMoving(uow.tx, recordId);
      throw new AppError(
        'conflict',
        `customer ${merge.survivorId} was merged again later (merge ${later?.id ?? 'unknown'}): undo that merge first`,
      );
    }
    const restored = await this.merges.moveRecords(uow.tx, merge.movedRecordIds, merge.mergedId);
    await this.merges.setStatus(uow.tx, merge.mergedId, null);
    await this.merges.markUnmerged(uow.tx, merge.id, actor);
    await this.golden.refresh(uow.tx, [merge.survivorId, merge.mergedId]);
    await this.recordsWritten.changed(uow, 'customer', merge.tenant, [merge.survivorId, merge.mergedId]);
    noteChange({
      targetType: 'customer',
      targetId: merge.mergedId,
      before: {
        mergeId: merge.id,
        survivorId: merge.survivorId,
        mergedId: merge.mergedId,
        mergedStatus: 'merged',
      },
      after: { mergedStatus: 'active', restoredRecords: restored.length },
    });
    await uow.emit([
      createEnvelope({
        type: 'crm.customer.unmerged.v1',
        source: CRM_SOURCE,
        tenant: merge.tenant,
        key: merge.survivorId,
        payload: {
          survivorId: merge.survivorId,
          restoredId: merge.mergedId,
          mergeId: merge.id,
          restoredIdentities: restored.map((m) => ({ source: m.source, externalId: m.externalId })),
        },
      }),
    ]);
    return { ...merge, unmergedAt: new Date(), unmergedBy: actor };
  }

  /** Accepts (merges the pair, the older customer surviving) or rejects a pending proposal. */
  async decide(uow: UnitOfWork, proposalId: string, accept: boolean, actor: string): Promise<MergeProposal> {
    const p = await this.merges.lockProposal(uow.tx, proposalId);
    if (!p || !visibleToRequest(p.tenant))
      throw new AppError('not-found', `merge proposal ${proposalId} not found`);
    if (p.status !== 'pending')
      throw new AppError('conflict', `merge proposal ${proposalId} is already ${p.status}`);
    let mergeId: string | null = null;
    let status: ProposalStatus = 'rejected';
    if (accept) {
      const rows = await this.customers.lockCustomers(uow.tx, [p.customerA, p.customerB]);
      rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
      const merge = await this.merge(uow, rows[0].id, rows[1].id, {
        kind: 'proposal',
        rule: p.rule,
        evidence: p.evidence,
        actor,
      });
      mergeId = merge.id;
      status = 'accepted';
    }
    await this.merges.decideProposal(uow.tx, p.id, status, actor, mergeId);
    return { ...p, status, decidedBy: actor, decidedAt: new Date(), mergeId };
  }

  listProposals(tenant: string, status: ProposalStatus, limit: number, offset: number) {
    return this.merges.listProposals(tenant, status, limit, offset);
  }

  listMerges(customerId: string, limit: number, offset: number) {
    return this.merges.listMerges(customerId, limit, offset);
  }
}
