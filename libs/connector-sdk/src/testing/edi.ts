import { contractProblem, createEnvelope, MessageType } from '@tradelane/contracts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  CanonicalRecord,
  ConnectorKind,
  ConnectorRuntime,
  EdiStandard,
  OwedDocument,
  TradingPartner,
} from '../index';

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

/**
 * Sends `documents` through a connector runtime's `send` for a crm.*.changed.v1 event (as the
 * host would) and returns the files it wrote to `folder` that were not there before.
 */
export async function sendDocuments(
  runtime: ConnectorRuntime,
  folder: string,
  event: { id: string; type: string; occurredAt?: string; recordId?: string },
  documents: OwedDocument[],
): Promise<{ name: string; text: string }[]> {
  const before = new Set(fs.readdirSync(folder));
  await runtime.send?.(
    createEnvelope({
      id: event.id,
      type: event.type as MessageType,
      source: 'tradelane-crm',
      key: event.recordId ?? event.id,
      occurredAt: event.occurredAt ?? '2026-12-01T10:00:00.000Z',
      payload: {
        resource: { shipment: 'shipments', invoice: 'invoices', stock: 'stock' }[event.type.split('.')[1]],
        recordId: event.recordId ?? event.id,
      } as never,
    }),
    { documents },
  );
  return fs
    .readdirSync(folder)
    .filter((f) => !before.has(f))
    .sort()
    .map((name) => ({ name, text: fs.readFileSync(path.join(folder, name), 'utf8') }));
}
