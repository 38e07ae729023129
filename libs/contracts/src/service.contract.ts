import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, IsString } from 'class-validator';

export const CASE_TYPES = [
  'delay',
  'damage',
  'loss',
  'wrong_delivery',
  'invoice_dispute',
  'service_request',
  'return',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];

export const SLA_CLOCKS = ['first-response', 'resolution'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];

/** What every case event names: the case, its customer, type and priority. */
export abstract class CaseRefV1 {
  @ApiProperty({ format: 'uuid' }) @IsString() caseId: string;
  @ApiProperty({ example: 'C-000042' }) @IsString() number: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @IsOptional()
  @IsString()
  customerId?: string | null;
  @ApiProperty({ enum: CASE_TYPES }) @IsIn(CASE_TYPES) type: CaseType;
  @ApiProperty({ enum: CASE_PRIORITIES }) @IsIn(CASE_PRIORITIES) priority: CasePriority;
}

/** `crm.case.opened.v1`: a complaint or service case was opened (by a person or by a shipment exception). */
export class CaseOpenedV1 extends CaseRefV1 {
  @ApiProperty({ description: 'api, or delivery-exception when a shipment exception opened it' })
  @IsString()
  origin: string;
  @ApiPropertyOptional({ description: 'Shipment the case is about: source/externalId' })
  @IsOptional()
  @IsString()
  delivery?: string;
  @ApiProperty() @IsString() firstResponseDueAt: string;
  @ApiProperty() @IsString() resolutionDueAt: string;
}

/**
 * `crm.case.sla-at-risk.v1` / `crm.case.sla-breached.v1`: an SLA clock of a case passed its
 * at-risk point or its due time. Emitted once per case, clock and kind.
 */
export class CaseSlaEventV1 extends CaseRefV1 {
  @ApiProperty({ enum: SLA_CLOCKS }) @IsIn(SLA_CLOCKS) clock: SlaClock;
  @ApiProperty() @IsString() dueAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() assignee?: string | null;
  @ApiProperty({ description: 'Escalation level after this event (1 at risk, 2 breached)' })
  @IsInt()
  escalationLevel: number;
}

/** `crm.kpi.target-missed.v1`: a customer's service KPI for a period fell short of its agreement's target. */
export class KpiTargetMissedV1 {
  @ApiProperty({ format: 'uuid' }) @IsString() customerId: string;
  @ApiProperty({ example: 'on_time_delivery' }) @IsString() kpi: string;
  @ApiProperty({ enum: ['day', 'week', 'month'] }) @IsString() period: string;
  @ApiProperty({ example: '2026-11-01' }) @IsString() periodStart: string;
  @ApiProperty({ description: 'Share 0..1, or hours for cycle times' }) @IsNumber() value: number;
  @ApiProperty() @IsNumber() target: number;
  @ApiProperty({ enum: ['at-least', 'at-most'] }) @IsString() direction: string;
  @ApiProperty({ description: 'Records the value was computed from' }) @IsInt() sample: number;
  @ApiProperty({ description: 'API path returning exactly those records' }) @IsString() drillDown: string;
}
