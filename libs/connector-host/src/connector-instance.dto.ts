import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ConnectorBackfill } from './connector-backfill.entity';
import { DELIVERY_STATES, DeliveryState } from './connector-delivery.entity';

export class AddInstanceDto {
  @ApiProperty({ example: 'example-http', description: 'Installed connector id (GET /connectors)' })
  @IsString()
  @MaxLength(100)
  connector: string;

  @ApiProperty({ example: 'shop', description: 'Instance name; the instance id is <connector>:<name>' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'name must be lower case letters, digits and dashes' })
  name: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "Validated against the connector's config schema",
  })
  @IsObject()
  config: Record<string, unknown>;

  @ApiPropertyOptional({ default: 'default' }) @IsOptional() @IsString() @MaxLength(100) tenant?: string;

  @ApiPropertyOptional({ default: 60, description: 'Seconds between polls of each pull stream' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  pollSeconds?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'Create it paused (check or backfill before pulling live)',
  })
  @IsOptional()
  @IsBoolean()
  paused?: boolean;

  @ApiPropertyOptional({ description: 'Calls per second to the system (pulls, sends); no limit when absent' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  maxRequestsPerSecond?: number;

  @ApiPropertyOptional({ default: 3600, description: 'Freshness lag above which the instance is degraded' })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(30 * 86_400)
  freshnessThresholdSeconds?: number;
}

export class CheckResultDto {
  @ApiProperty() ok: boolean;
  @ApiProperty({ enum: ['ok', 'retryable', 'permanent', 'auth', 'config', 'rate-limited'] }) code: string;
  @ApiProperty() message: string;
}

export class LastCheckDto {
  @ApiProperty() at: Date;
  @ApiProperty() code: string;
  @ApiProperty() message: string;
}

export class InstanceDto {
  @ApiProperty({ example: 'example-http:shop' }) id: string;
  @ApiProperty() connector: string;
  @ApiProperty() tenant: string;
  @ApiProperty({ enum: ['running', 'paused'] }) state: string;
  @ApiProperty({ enum: ['unknown', 'ok', 'degraded', 'failing'] }) health: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Configuration, secrets shown as ********',
  })
  settings: Record<string, unknown>;
  @ApiPropertyOptional({ type: LastCheckDto, nullable: true }) lastCheck: LastCheckDto | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) lastSuccessAt: Date | null;
  @ApiProperty() pollSeconds: number;
  @ApiProperty() freshnessThresholdSeconds: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) maxRequestsPerSecond: number | null;
  @ApiProperty() createdAt: Date;
}

export class InstalledConnectorDto {
  @ApiProperty() id: string;
  @ApiProperty({
    enum: ['erp', 'wms', 'tms', 'email', 'portal'],
    description: 'The message context its records publish under (erp.*, wms.*, tms.*...)',
  })
  kind: string;
  @ApiProperty() version: string;
  @ApiProperty() compatibility: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) capabilities: object;
  @ApiProperty({ type: [String] }) secrets: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'JSON Schema of the configuration',
  })
  configSchema: object;
}

export class StreamStatusDto {
  @ApiProperty() stream: string;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'Newest source event pulled' })
  lastEventAt: Date | null;
  @ApiProperty({ description: 'Records pulled so far' }) records: number;
  @ApiProperty({ description: 'Pages pulled so far' }) pages: number;
  @ApiProperty({ description: 'When the cursor last moved' }) updatedAt: Date;
  @ApiProperty({ enum: ['unknown', 'ok', 'degraded', 'failing'], description: "This stream's last pull" })
  health: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: "Why this stream's last pull failed" })
  lastError: string | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) lastErrorAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) lastSuccessAt: Date | null;
}

export class DeliveryCountsDto {
  @ApiProperty({ description: 'Waiting to be sent (in arrival order)' }) pending: number;
  @ApiProperty({ description: 'Refused for good by the system: re-send after a fix' }) failed: number;
  @ApiProperty({ description: "The system's record changed since the CRM read it: a person decides" })
  conflict: number;
}

export class InstanceStatusDto extends InstanceDto {
  @ApiPropertyOptional({ nullable: true, type: String }) lastError: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Now minus the newest source event, seconds',
  })
  freshnessLagSeconds: number | null;
  @ApiProperty({ type: [StreamStatusDto] }) streams: StreamStatusDto[];
  @ApiProperty({ description: 'Dead letters of messages this instance produced' }) deadLetters: number;
  @ApiProperty({
    type: () => DeliveryCountsDto,
    description: 'CRM events owed to the instance (send), by state',
  })
  deliveries: DeliveryCountsDto;
  @ApiProperty({ description: 'Records it produced that wait in the outbox for the relay' }) backlog: number;
}

export class ReconcileRequestDto {
  @ApiPropertyOptional({ description: 'Only records changed since (ISO 8601); all when absent' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ description: 'Re-pull the missing records', default: false })
  @IsOptional()
  @IsBoolean()
  repull?: boolean;
}

export class DayCountDto {
  @ApiProperty({ example: '2026-11-20' }) day: string;
  @ApiProperty() atSource: number;
  @ApiProperty() held: number;
}

export class StreamReconciliationDto {
  @ApiProperty() stream: string;
  @ApiProperty() atSource: number;
  @ApiProperty() held: number;
  @ApiProperty({ type: [String], description: 'Keys the source has and the CRM does not' }) missing: string[];
  @ApiProperty({ type: [DayCountDto], description: 'Days whose counts differ' }) days: DayCountDto[];
}

export class ReceivedDayDto {
  @ApiProperty({ example: '2026-11-30', description: 'UTC day the payloads were taken' }) day: string;
  @ApiProperty({ description: 'Files dropped or pushes accepted' }) payloads: number;
  @ApiProperty({ description: 'Of those, translated by the connector' }) translated: number;
  @ApiProperty({ description: 'Of those, dead-lettered with the reason (redrivable)' }) deadLettered: number;
  @ApiProperty({ description: 'Neither yet: on their way, or lost (see the ledger)' }) unaccounted: number;
  @ApiProperty({ description: 'Canonical records they produced that the CRM processed' }) records: number;
}

export class ReconciliationDto {
  @ApiProperty() instance: string;
  @ApiPropertyOptional({ nullable: true, type: String }) since: string | null;
  @ApiProperty({ type: [StreamReconciliationDto], description: 'Pull streams: source keys against the CRM' })
  streams: StreamReconciliationDto[];
  @ApiProperty({
    type: [ReceivedDayDto],
    description: 'Push and drop-folder channels: counts per day from the ledger',
  })
  received: ReceivedDayDto[];
  @ApiProperty() repulled: number;
}

export class BackfillRequestDto {
  @ApiPropertyOptional({ description: 'One pull stream; every stream when absent' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  stream?: string;
}

export class BackfillDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() instanceId: string;
  @ApiProperty() stream: string;
  @ApiProperty({ enum: ['running', 'done', 'failed', 'cancelled'] }) state: string;
  @ApiProperty() records: number;
  @ApiProperty() pages: number;
  @ApiPropertyOptional({ nullable: true, type: String }) error: string | null;
  @ApiProperty() createdAt: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) finishedAt: Date | null;
}

export function toBackfillDto(b: ConnectorBackfill): BackfillDto {
  return {
    id: b.id,
    instanceId: b.instanceId,
    stream: b.stream,
    state: b.state,
    records: Number(b.records),
    pages: Number(b.pages),
    error: b.error,
    createdAt: b.createdAt,
    finishedAt: b.finishedAt,
  };
}

export class RotateResultDto {
  @ApiProperty({ description: 'Instances whose secrets were re-sealed with the current key' })
  resealed: number;
}

export class OutboundDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'The CRM event (message id)' }) messageId: string;
  @ApiProperty({ description: 'Arrival order; events are sent in it' }) seq: string;
  @ApiProperty({ example: 'crm.customer.updated.v1' }) type: string;
  @ApiProperty({ enum: DELIVERY_STATES }) state: string;
  @ApiProperty({ description: 'Send attempts so far' }) attempts: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why the last attempt failed' })
  lastError: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The CRM customer concerned',
  })
  customerId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'How a person settled it, by whom' })
  resolution: string | null;
  @ApiProperty({ description: 'When the event was owed' }) createdAt: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) sentAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) resolvedAt: Date | null;
}

export class OutboundDeliveryPageDto {
  @ApiProperty({ type: [OutboundDeliveryDto] }) items: OutboundDeliveryDto[];
  @ApiProperty({ description: 'All deliveries matching the filter' }) total: number;
}

export class DeliveryQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATES, description: 'Only this state (default: all)' })
  @IsOptional()
  @IsIn(DELIVERY_STATES)
  state?: DeliveryState;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 500' })
  @Min(1, { message: 'limit must be an integer from 1 to 500' })
  @Max(500, { message: 'limit must be an integer from 1 to 500' })
  limit: number = 50;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be an integer of at least 0' })
  @Min(0, { message: 'offset must be an integer of at least 0' })
  offset: number = 0;
}

export class ResendRequestDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'One delivery; absent: every failed delivery of the instance',
  })
  @IsOptional()
  @IsUUID('all', { message: 'messageId must be a UUID' })
  messageId?: string;
}

export class ResendResultDto {
  @ApiProperty({ description: 'Deliveries put back in the queue' }) requeued: number;
}

export class ResolveRequestDto {
  @ApiProperty({
    enum: ['crm', 'system'],
    description:
      "crm: send the CRM's value again, overwriting the system's change; system: keep the system's value and take it into the CRM (its record is pulled again)",
  })
  @IsIn(['crm', 'system'], { message: 'take must be crm or system' })
  take: 'crm' | 'system';

  @ApiPropertyOptional({ description: 'Who decides (kept with the resolution)', example: 'kam@3pl.example' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ description: 'Why (kept with the resolution)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class ImportProblemDto {
  @ApiProperty({ example: 'orders.csv row 17 column promised_date', description: 'File, row and column' })
  field: string;

  @ApiProperty({
    example:
      'orders.csv row 17 column promised_date: "31/02/2018" is not a date (YYYY-MM-DD, or give "format")',
    description: 'Why the row cannot be imported',
  })
  reason: string;
}

export class ImportReportDto {
  @ApiProperty({ description: 'true: only translated and reported, nothing was written' }) dryRun: boolean;
  @ApiProperty({ example: 'orders.csv', description: 'The file name as taken (x-file-name, made safe)' })
  fileName: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Not a dry run: the message the file travels in (GET /ledger?messageId=)',
  })
  messageId?: string;
  @ApiPropertyOptional({ description: 'Dry run: records the file would produce' }) records?: number;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { 'order.upserted': 4000, 'delivery.status-changed': 3998 },
    description: 'Dry run: records by type',
  })
  byType?: Record<string, number>;
  @ApiPropertyOptional({
    description: 'Dry run: rows that would be dead-lettered (1 when the file cannot be read at all)',
  })
  rejected?: number;
  @ApiPropertyOptional({ type: [ImportProblemDto], description: 'Dry run: the first 20 problems' })
  problems?: ImportProblemDto[];
}
