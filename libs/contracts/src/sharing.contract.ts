import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

/** The records partners may be told about, by the partner API's resource names. */
export const SHARED_RESOURCES = ['orders', 'shipments', 'invoices', 'cases', 'stock'] as const;
export type SharedResource = (typeof SHARED_RESOURCES)[number];

/**
 * `crm.order.changed.v1`, `crm.shipment.changed.v1`, `crm.invoice.changed.v1`,
 * `crm.case.updated.v1`, `crm.stock.changed.v1`: a record partners may share was written. Only the
 * id: what a partner is told is read from the record as that partner may see it.
 * `crm.invoice.overdue.v1` (status `overdue`): an open invoice passed its due date, once per due date.
 */
export class RecordChangedV1 {
  @ApiProperty({ enum: SHARED_RESOURCES, description: 'The partner API resource' })
  @IsIn(SHARED_RESOURCES)
  resource: SharedResource;

  @ApiProperty({ description: 'The record id (the partner API id)' }) @IsUUID() recordId: string;

  @ApiPropertyOptional({ description: 'Its status after the change' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  status?: string;
}

/**
 * `crm.partner.webhook-failing.v1`: a partner's webhook subscription failed every attempt of the
 * retry schedule and is marked failing; for the partner's contact (an e-mail connector sends it).
 */
export class WebhookFailingV1 {
  @ApiProperty() @IsUUID() partnerId: string;
  @ApiProperty() @IsUUID() subscriptionId: string;
  @ApiProperty() @IsString() @MaxLength(2000) url: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() contactEmail?:
    string | null;
  @ApiProperty({ description: 'The last attempt: status code or error' })
  @IsString()
  @MaxLength(500)
  lastError: string;
}
