import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  EdiContext,
  EdiStandard,
  InterchangeSeen,
  PARTNER_DOCUMENTS,
  PartnerDocumentType,
  TradingPartner,
} from '@tradelane/connector-sdk';
import { AppError, noteChange, requestTenant, visibleToRequest } from '@tradelane/http';
import { Database, detachedFromDatabase, sqlState } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { ConnectorRegistry } from '../connector.registry';
import { CRM_RECORDS, CrmRecordsPort } from '../crm-records.port';
import {
  AddTradingPartnerDto,
  TradingPartnerDto,
  TradingPartnerPageDto,
  TradingPartnerQuery,
  UpdateTradingPartnerDto,
} from './trading-partner.dto';
import { EdiTradingPartner } from './trading-partner.entity';

/** ISA13 and UNB 0020 hold nine digits (X12) or 14 characters: the series wraps after 999,999,999. */
const CONTROL_MAX = 999_999_999;

export const toPartner = (r: EdiTradingPartner): TradingPartner => ({
  id: r.id,
  name: r.name,
  standard: r.standard as EdiStandard,
  qualifier: r.qualifier,
  interchangeId: r.interchangeId,
  ...(r.customerExternalId ? { customerExternalId: r.customerExternalId } : {}),
  ...(r.customerSource ? { customerSource: r.customerSource } : {}),
  acknowledgement: r.acknowledgement as TradingPartner['acknowledgement'],
  controlCounts: r.controlCounts as TradingPartner['controlCounts'],
  timeZone: r.timeZone,
  paymentTermsDays: r.paymentTermsDays,
  transactionSets: r.transactionSets,
  versions: r.versions ?? [],
});

/**
 * The tenant's EDI trading partners (API and CLI), and the EDI context the host gives the EDI
 * connectors of a tenant: partner lookup, control-number series, the register of interchanges.
 */
@Injectable()
export class TradingPartnerService {
  private readonly log = new Logger('TradingPartners');

  constructor(
    private readonly db: Database,
    private readonly registry: ConnectorRegistry,
    @Inject(CRM_RECORDS) private readonly crm: CrmRecordsPort,
  ) {}

  async add(input: AddTradingPartnerDto): Promise<TradingPartnerDto> {
    const tenant = requestTenant(input.tenant);
    this.checkQualifier(input.standard, input.qualifier);
    const acknowledgement = input.acknowledgement ?? (input.standard === 'x12' ? '997' : 'CONTRL');
    this.checkAcknowledgement(input.standard, acknowledgement);
    const outboundDocuments = [...new Set(input.outboundDocuments ?? [])];
    await this.checkOutbound(tenant, input.standard, {
      partnerId: input.partnerId ?? null,
      outboundInstanceId: input.outboundInstanceId ?? null,
      outboundDocuments,
    });
    const row = await this.db
      .read((m) =>
        m.getRepository(EdiTradingPartner).save(
          m.getRepository(EdiTradingPartner).create({
            tenant,
            name: input.name.trim(),
            standard: input.standard,
            qualifier: input.qualifier,
            interchangeId: input.interchangeId.toUpperCase(),
            customerExternalId: input.customerExternalId ?? null,
            customerSource: input.customerSource ?? null,
            acknowledgement,
            controlCounts: input.controlCounts ?? 'warn',
            timeZone: input.timeZone ?? 'UTC',
            paymentTermsDays: input.paymentTermsDays ?? 30,
            transactionSets: [...new Set(input.transactionSets ?? [])],
            versions: [...new Set((input.versions ?? []).map((v) => v.replace(/:/g, '')))],
            partnerId: input.partnerId ?? null,
            outboundInstanceId: input.outboundInstanceId ?? null,
            outboundDocuments,
          }),
        ),
      )
      .catch((e: unknown) => {
        if (sqlState(e) === '23505')
          throw new AppError(
            'conflict',
            `a ${input.standard} trading partner ${input.qualifier}/${input.interchangeId} exists in tenant ${tenant}`,
          );
        throw e;
      });
    const after = await this.view(row);
    noteChange({ targetType: 'trading-partner', targetId: row.id, before: null, after: { ...after } });
    this.log.log(
      `trading partner ${row.name} (${row.standard} ${row.qualifier}/${row.interchangeId}) added to ${tenant}`,
    );
    return after;
  }

  async list(q: TradingPartnerQuery): Promise<TradingPartnerPageDto> {
    const like = q.q ? `${q.q.replace(/[\\%_]/g, (c) => `\\${c}`).toUpperCase()}%` : null;
    const [rows, total] = await this.db.read((m) => {
      const qb = m.getRepository(EdiTradingPartner).createQueryBuilder('p');
      if (q.standard) qb.andWhere('p.standard = :standard', { standard: q.standard });
      if (like) qb.andWhere('(upper(p.name) LIKE :like OR p.interchange_id LIKE :like)', { like });
      return qb
        .orderBy('p.name', 'ASC')
        .addOrderBy('p.id', 'ASC')
        .take(q.limit)
        .skip(q.offset)
        .getManyAndCount();
    });
    return {
      items: await Promise.all(rows.map((r) => this.view(r))),
      total,
      limit: q.limit,
      offset: q.offset,
    };
  }

  async get(id: string): Promise<TradingPartnerDto> {
    return this.view(await this.find(id));
  }

  async update(id: string, patch: UpdateTradingPartnerDto): Promise<TradingPartnerDto> {
    const row = await this.find(id);
    if (patch.standard && patch.standard !== row.standard)
      throw new AppError('invalid', 'standard cannot change: add a partner for the other standard');
    if (patch.tenant && patch.tenant !== row.tenant) throw new AppError('invalid', 'tenant cannot change');
    if (patch.qualifier !== undefined) this.checkQualifier(row.standard as EdiStandard, patch.qualifier);
    if (patch.acknowledgement) this.checkAcknowledgement(row.standard as EdiStandard, patch.acknowledgement);
    const before = await this.view(row);
    const changes: Partial<EdiTradingPartner> = {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.qualifier !== undefined ? { qualifier: patch.qualifier } : {}),
      ...(patch.interchangeId !== undefined ? { interchangeId: patch.interchangeId.toUpperCase() } : {}),
      ...(patch.customerExternalId !== undefined ? { customerExternalId: patch.customerExternalId } : {}),
      ...(patch.customerSource !== undefined ? { customerSource: patch.customerSource } : {}),
      ...(patch.acknowledgement ? { acknowledgement: patch.acknowledgement } : {}),
      ...(patch.controlCounts ? { controlCounts: patch.controlCounts } : {}),
      ...(patch.timeZone ? { timeZone: patch.timeZone } : {}),
      ...(patch.paymentTermsDays !== undefined ? { paymentTermsDays: patch.paymentTermsDays } : {}),
      ...(patch.transactionSets ? { transactionSets: [...new Set(patch.transactionSets)] } : {}),
      ...(patch.versions ? { versions: [...new Set(patch.versions.map((v) => v.replace(/:/g, '')))] } : {}),
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.partnerId !== undefined ? { partnerId: patch.partnerId } : {}),
      ...(patch.outboundInstanceId !== undefined ? { outboundInstanceId: patch.outboundInstanceId } : {}),
      ...(patch.outboundDocuments ? { outboundDocuments: [...new Set(patch.outboundDocuments)] } : {}),
    };
    await this.checkOutbound(row.tenant, row.standard as EdiStandard, {
      partnerId: changes.partnerId !== undefined ? changes.partnerId : row.partnerId,
      outboundInstanceId:
        changes.outboundInstanceId !== undefined ? changes.outboundInstanceId : row.outboundInstanceId,
      outboundDocuments: changes.outboundDocuments ?? row.outboundDocuments,
    });
    await this.db
      .read((m) => m.getRepository(EdiTradingPartner).update({ id }, { ...changes, updatedAt: new Date() }))
      .catch((e: unknown) => {
        if (sqlState(e) === '23505')
          throw new AppError('conflict', `another ${row.standard} trading partner has that interchange id`);
        throw e;
      });
    const after = await this.get(id);
    noteChange({ targetType: 'trading-partner', targetId: id, before: { ...before }, after: { ...after } });
    return after;
  }

  /** The EDI context of one tenant's connector instances (system work: no request scope). */
  contextFor(tenant: string): EdiContext {
    return {
      partner: async (standard, qualifier, interchangeId) => {
        const [r] = await this.db.sql<Record<string, unknown>>(
          `SELECT * FROM edi_trading_partner
            WHERE tenant = $1 AND standard = $2 AND qualifier = $3 AND interchange_id = upper($4) AND status = 'active'`,
          [tenant, standard, qualifier.trim(), interchangeId.trim()],
        );
        return r ? toPartner(fromRow(r)) : undefined;
      },
      controlNumber: (series, key) => this.controlNumber(tenant, series, key),
      received: (partnerId, control, contentHash) => this.received(tenant, partnerId, control, contentHash),
    };
  }

  /**
   * The number of `key` in `series`: the one it was given before, else the series' next, committed
   * before it is returned (a crash after this loses a number, never repeats one).
   */
  async controlNumber(tenant: string, series: string, key: string): Promise<number> {
    // On PostgreSQL in a transaction of its own, committed whatever the caller's does (a crash after
    // this loses a number, never gives it twice). The embedded database has one connection: there
    // it joins the caller's transaction (a rollback takes the number back; the retry gives it to the
    // same key again).
    const take = (fn: (tx: EntityManager) => Promise<number>) =>
      this.db.embedded ? this.db.read(fn) : detachedFromDatabase(() => this.db.transaction(fn));
    return take(async (tx) => {
      const had: { value: string }[] = await tx.query(
        `SELECT value FROM edi_control_number WHERE tenant = $1 AND series = $2 AND for_key = $3`,
        [tenant, series, key],
      );
      if (had.length) return Number(had[0].value);
      const [next]: { value: string }[] = await tx.query(
        `INSERT INTO edi_control_series AS s (tenant, series, next_value) VALUES ($1, $2, 2)
           ON CONFLICT (tenant, series) DO UPDATE
             SET next_value = CASE WHEN s.next_value >= $3 THEN 1 ELSE s.next_value + 1 END
         RETURNING (CASE WHEN next_value = 1 THEN $3 ELSE next_value - 1 END)::text AS value`,
        [tenant, series, CONTROL_MAX],
      );
      await tx.query(
        `INSERT INTO edi_control_number (tenant, series, for_key, value) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING`,
        [tenant, series, key, next.value],
      );
      return Number(next.value);
    });
  }

  /** Registers an interchange; tells a duplicate (same or other content) and the one received before. */
  async received(
    tenant: string,
    partnerId: string,
    control: string,
    contentHash: string,
  ): Promise<InterchangeSeen> {
    // In the caller's transaction (the translation of the file): registered with its records, or not at all.
    return this.db.read(async (tx) => {
      const [last]: { control: string }[] = await tx.query(
        `SELECT control FROM edi_interchange_received WHERE tenant = $1 AND partner_id = $2 AND control <> $3
          ORDER BY received_at DESC, control DESC LIMIT 1`,
        [tenant, partnerId, control],
      );
      const [row]: { content_hash: string; received_at: Date; times: number }[] = await tx.query(
        `INSERT INTO edi_interchange_received AS r (tenant, partner_id, control, content_hash)
              VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant, partner_id, control) DO UPDATE SET times = r.times + 1
         RETURNING content_hash, received_at, times`,
        [tenant, partnerId, control, contentHash],
      );
      const duplicate = row.times === 1 ? 'no' : row.content_hash === contentHash ? 'same' : 'different';
      return {
        duplicate,
        ...(duplicate !== 'no' ? { firstReceivedAt: new Date(row.received_at).toISOString() } : {}),
        ...(last ? { previousControl: last.control } : {}),
      };
    });
  }

  private async find(id: string): Promise<EdiTradingPartner> {
    const row = /^[0-9a-f-]{36}$/i.test(id)
      ? await this.db.read((m) => m.getRepository(EdiTradingPartner).findOneBy({ id }))
      : null;
    if (!row || !visibleToRequest(row.tenant))
      throw new AppError('not-found', `trading partner ${id} not found`);
    return row;
  }

  private async view(r: EdiTradingPartner): Promise<TradingPartnerDto> {
    // The last interchange received and the last document sent, in one round trip.
    const [seen] = await this.db.sql<{
      control: string | null;
      received_at: Date | null;
      sent_at: Date | null;
    }>(
      `SELECT r.control, r.received_at,
              (SELECT max(sent_at) FROM edi_document_sent WHERE trading_partner_id = $3::uuid) AS sent_at
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT control, received_at FROM edi_interchange_received
                             WHERE tenant = $1 AND partner_id = $2
                             ORDER BY received_at DESC LIMIT 1) r ON true`,
      [r.tenant, r.id, r.id],
    );
    return {
      id: r.id,
      tenant: r.tenant,
      name: r.name,
      standard: r.standard,
      qualifier: r.qualifier,
      interchangeId: r.interchangeId,
      customerExternalId: r.customerExternalId,
      customerSource: r.customerSource,
      acknowledgement: r.acknowledgement,
      controlCounts: r.controlCounts,
      timeZone: r.timeZone,
      paymentTermsDays: r.paymentTermsDays,
      transactionSets: r.transactionSets,
      versions: r.versions ?? [],
      status: r.status,
      partnerId: r.partnerId ?? null,
      outboundInstanceId: r.outboundInstanceId ?? null,
      outboundDocuments: r.outboundDocuments ?? [],
      lastDocumentAt: seen.sent_at ? new Date(seen.sent_at).toISOString() : null,
      lastControl: seen.control,
      lastReceivedAt: seen.received_at ? new Date(seen.received_at).toISOString() : null,
      createdAt: new Date(r.createdAt).toISOString(),
      updatedAt: new Date(r.updatedAt).toISOString(),
    };
  }

  /**
   * Documents need a partner organisation with customers in the tenant (its scope decides what the
   * documents tell) and an instance of the tenant whose connector writes each of them in the
   * partner's standard.
   */
  private async checkOutbound(
    tenant: string,
    standard: EdiStandard,
    o: { partnerId: string | null; outboundInstanceId: string | null; outboundDocuments: string[] },
  ): Promise<void> {
    if (!o.outboundDocuments.length) return;
    const wrong = o.outboundDocuments.filter(
      (d) => PARTNER_DOCUMENTS[d as PartnerDocumentType].standard !== standard,
    );
    if (wrong.length)
      throw new AppError('invalid', `outboundDocuments: ${wrong.join(', ')} are not ${standard} documents`);
    if (!o.partnerId)
      throw new AppError(
        'invalid',
        "partnerId: documents are sent only within a partner organisation's scope; name the partner it is",
      );
    if (!o.outboundInstanceId)
      throw new AppError(
        'invalid',
        'outboundInstanceId: name the connector instance that writes its documents',
      );
    if (!(await this.crm.partnerCustomers(tenant, o.partnerId)).length)
      throw new AppError(
        'invalid',
        `partnerId: partner ${o.partnerId} is not a partner organisation of tenant ${tenant} with customers`,
      );
    const [instance] = await this.db.sql<{ connector_id: string }>(
      `SELECT connector_id FROM connector_instance WHERE id = $1 AND tenant = $2`,
      [o.outboundInstanceId, tenant],
    );
    if (!instance)
      throw new AppError('invalid', `outboundInstanceId: no connector instance ${o.outboundInstanceId}`);
    const writes = this.registry.has(instance.connector_id)
      ? (this.registry.get(instance.connector_id).capabilities.documents ?? [])
      : [];
    const cannot = o.outboundDocuments.filter((d) => !writes.includes(d as PartnerDocumentType));
    if (cannot.length)
      throw new AppError(
        'invalid',
        `outboundDocuments: ${instance.connector_id} does not write ${cannot.join(', ')} (it writes ${writes.join(', ') || 'no partner document'})`,
      );
  }

  private checkQualifier(standard: EdiStandard, qualifier: string): void {
    if (standard === 'x12' && !/^[0-9A-Z]{2}$/.test(qualifier))
      throw new AppError(
        'invalid',
        `qualifier: an X12 ISA05 qualifier is two characters (ZZ, 01, 02, 12…), not "${qualifier}"`,
      );
  }

  private checkAcknowledgement(standard: EdiStandard, ack: string): void {
    const allowed = standard === 'x12' ? ['997', '999', 'none'] : ['CONTRL', 'none'];
    if (!allowed.includes(ack))
      throw new AppError(
        'invalid',
        `acknowledgement: ${standard} partners take ${allowed.join(', ')}, not ${ack}`,
      );
  }
}

/** A trading partner as `SELECT *` reads it. */
export function fromRow(r: Record<string, unknown>): EdiTradingPartner {
  return {
    id: r.id,
    tenant: r.tenant,
    name: r.name,
    standard: r.standard,
    qualifier: r.qualifier,
    interchangeId: r.interchange_id,
    customerExternalId: r.customer_external_id,
    customerSource: r.customer_source,
    acknowledgement: r.acknowledgement,
    controlCounts: r.control_counts,
    timeZone: r.time_zone,
    paymentTermsDays: r.payment_terms_days,
    transactionSets: r.transaction_sets,
    versions: r.versions,
    status: r.status,
    partnerId: r.partner_id,
    outboundInstanceId: r.outbound_instance_id,
    outboundDocuments: r.outbound_documents,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  } as EdiTradingPartner;
}
