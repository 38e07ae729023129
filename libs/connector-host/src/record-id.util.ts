import { CanonicalRecord, ConnectorKind } from '@tradelane/connector-sdk';
import { createEnvelope, Envelope, MessageType } from '@tradelane/contracts';
import { createHash } from 'node:crypto';

/**
 * A message id for a pulled record that is the same every time the same version is pulled:
 * UUIDv7 layout (48-bit event time in ms, version 7, RFC 9562 variant) filled from a SHA-256 of
 * instance, type, key, event time and payload. Pulling a page again (after a crash between the
 * source and the commit, or an overlapping cursor) yields the same ids, which the inbox skips.
 */
export function recordMessageId(
  instance: string,
  type: string,
  key: string,
  occurredAt: string,
  payload: object,
): string {
  const h = createHash('sha256')
    .update(JSON.stringify([instance, type, key, occurredAt, payload]))
    .digest();
  const ms = BigInt(Math.max(0, Date.parse(occurredAt)));
  for (let i = 0; i < 6; i++) h[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  h[6] = 0x70 | (h[6] & 0x0f);
  h[8] = 0x80 | (h[8] & 0x3f);
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A connector's canonical record as an inbound event (`<context>.<type>.v1`, the instance as
 * source). `fresh: true` gives a new message id instead of the version-derived one (a re-pull of a
 * record the store lost, whose old id the inbox may already hold).
 */
/** The instance a record comes from: its id is the envelope's source. */
export interface SourceInstance {
  id: string;
  tenant: string;
  kind: ConnectorKind;
}

export function recordEnvelope(
  instance: SourceInstance,
  r: CanonicalRecord,
  options: { fresh?: boolean; causedBy?: Pick<Envelope, 'id' | 'correlationId'> } = {},
): Envelope {
  return createEnvelope({
    id: options.fresh ? undefined : recordMessageId(instance.id, r.type, r.key, r.occurredAt, r.payload),
    type: `${instance.kind}.${r.type}.v1` as MessageType,
    source: instance.id,
    tenant: instance.tenant,
    key: r.key,
    occurredAt: r.occurredAt,
    payload: r.payload as never,
    causedBy: options.causedBy,
  });
}
