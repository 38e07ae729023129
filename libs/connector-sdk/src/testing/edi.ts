import { contractProblem, createEnvelope, MessageType } from '@tradelane/contracts';
import type { CanonicalRecord, ConnectorKind, EdiStandard, TradingPartner } from '../index';

/** A trading partner for EDI mapping tests: 997 / CONTRL, control counts noted, 30 days' terms. */
export function testPartner(
  standard: EdiStandard,
  name: string,
  qualifier: string,
  interchangeId: string,
  extra: Partial<TradingPartner> = {},
): TradingPartner {
  return {
    id: `${qualifier}/${interchangeId}`,
    name,
    standard,
    qualifier,
    interchangeId,
    acknowledgement: standard === 'x12' ? '997' : 'CONTRL',
    controlCounts: 'warn',
    timeZone: 'UTC',
    paymentTermsDays: 30,
    transactionSets: [],
    versions: [],
    ...extra,
  };
}

/**
 * Throws naming the record and the field when one of `records` (the rejected ones aside) fails its
 * contract as a `<kind>` message: what the host would refuse as a mapping bug.
 */
export function assertRecordsMeetContracts(kind: ConnectorKind, records: readonly CanonicalRecord[]): void {
  const problems = records
    .filter((r) => !r.rejected)
    .map((r) => {
      const envelope = createEnvelope({
        type: `${kind}.${r.type}.v1` as MessageType,
        source: `${kind}-test:fixtures`,
        tenant: 'default',
        key: r.key,
        occurredAt: r.occurredAt,
        payload: r.payload as never,
      });
      const p = contractProblem(envelope);
      return p ? `${r.type} ${r.key}: ${p.field}: ${p.message}` : undefined;
    })
    .filter(Boolean);
  if (problems.length) throw new Error(`records that fail their contracts:\n${problems.join('\n')}`);
}
