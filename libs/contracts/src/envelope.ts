import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsTimestamp } from './validators';

/** `<context>.<aggregate>.<event>.v<N>`, e.g. `erp.order.upserted.v1`. Also the AMQP routing key. */
export const MESSAGE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/;
/** RFC 9562 UUID version 7 (time-ordered), lower or upper case. */
export const UUID_V7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The message envelope every Tradelane message travels in (see DESIGN.md, "Messages"). */
export interface Envelope<P = unknown, T extends string = string> {
  /** UUIDv7, assigned once at the source and stable across retries and redrives. */
  id: string;
  type: T;
  /** Connector instance that produced the message, e.g. `erp-odoo:company-a`. */
  source: string;
  tenant: string;
  /** Event time at the source (ISO 8601). Decides which of two versions of a record wins. */
  occurredAt: string;
  correlationId: string;
  /** Id of the message that caused this one; null for a message that starts a conversation. */
  causationId: string | null;
  /** Business key (order number, customer number...): ordering and lookups are per key. */
  key: string;
  payload: P;
}

/** class-validator shape of {@link Envelope}; the payload is validated separately against its contract. */
export class EnvelopeDto implements Envelope<Record<string, unknown>> {
  @Matches(UUID_V7_PATTERN, { message: 'id must be a UUIDv7' })
  id: string;

  @Matches(MESSAGE_TYPE_PATTERN, { message: 'type must look like <context>.<aggregate>.<event>.v<N>' })
  type: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  source: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  tenant: string;

  @IsTimestamp()
  occurredAt: string;

  @Matches(UUID_PATTERN, { message: 'correlationId must be a UUID' })
  correlationId: string;

  @IsOptional()
  @Matches(UUID_PATTERN, { message: 'causationId must be a UUID or null' })
  causationId: string | null;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  key: string;

  @IsDefined()
  @IsObject()
  @Type(() => Object)
  payload: Record<string, unknown>;
}
