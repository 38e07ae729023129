import { v7 as uuidv7 } from 'uuid';
import { ContractMap, MessageType } from './contracts';
import { Envelope } from './envelope';

export function newMessageId(): string {
  return uuidv7();
}

export interface EnvelopeInit<T extends MessageType> {
  type: T;
  source: string;
  tenant?: string;
  key: string;
  payload: ContractMap[T];
  occurredAt?: Date | string;
  /** The message this one answers to: its correlation id is inherited and its id becomes the causation id. */
  causedBy?: Pick<Envelope, 'id' | 'correlationId'>;
  id?: string;
}

/** Builds a well-formed envelope (new UUIDv7, correlation inherited from the cause). */
export function createEnvelope<T extends MessageType>(init: EnvelopeInit<T>): Envelope<ContractMap[T], T> {
  const id = init.id ?? newMessageId();
  const occurredAt =
    init.occurredAt instanceof Date
      ? init.occurredAt.toISOString()
      : (init.occurredAt ?? new Date().toISOString());
  return {
    id,
    type: init.type,
    source: init.source,
    tenant: init.tenant ?? 'default',
    occurredAt,
    correlationId: init.causedBy?.correlationId ?? id,
    causationId: init.causedBy?.id ?? null,
    key: init.key,
    payload: init.payload,
  };
}
