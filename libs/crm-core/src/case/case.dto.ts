import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { CASE_PRIORITIES, CASE_TYPES, CasePriority, CaseType, PARTY_ROLES } from '@tradelane/contracts';
import { queryBoolean } from '@tradelane/http';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CASE_STATUSES } from './case.util';

export class RecordRefDto {
  @ApiProperty({ example: 'tms-main:nl' }) @IsString() @IsNotEmpty() @MaxLength(200) source: string;
  @ApiProperty({ example: 'SHP-000123' }) @IsString() @IsNotEmpty() @MaxLength(128) externalId: string;
}

export class CasePartyDto extends RecordRefDto {
  @ApiProperty({ enum: PARTY_ROLES }) @IsIn(PARTY_ROLES) role: string;
}

export class OpenCaseDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId: string;
  @ApiProperty({ enum: CASE_TYPES }) @IsIn(CASE_TYPES) type: CaseType;
  @ApiProperty({ example: 'Pallet arrived with broken wrapping' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  subject: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) description?: string;
  @ApiPropertyOptional({ enum: CASE_PRIORITIES, description: 'Overrides the priority rules' })
  @IsOptional()
  @IsIn(CASE_PRIORITIES)
  priority?: CasePriority;
  @ApiPropertyOptional({ example: 'j.devries' }) @IsOptional() @IsString() @MaxLength(200) assignee?: string;
  @ApiPropertyOptional({ type: RecordRefDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecordRefDto)
  order?: RecordRefDto;
  @ApiPropertyOptional({ type: RecordRefDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecordRefDto)
  delivery?: RecordRefDto;
  @ApiPropertyOptional({ type: RecordRefDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecordRefDto)
  invoice?: RecordRefDto;
  @ApiPropertyOptional({
    type: [CasePartyDto],
    description: 'Other customers concerned (shipper, consignee...)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CasePartyDto)
  parties?: CasePartyDto[];
  @ApiPropertyOptional({ description: 'Who opens it (kept with manual priorities)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  author?: string;
}

export class UpdateCaseDto {
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() @MaxLength(200) assignee?:
    string | null;
  @ApiPropertyOptional({ enum: CASE_PRIORITIES })
  @IsOptional()
  @IsIn(CASE_PRIORITIES)
  priority?: CasePriority;
  @ApiPropertyOptional({ enum: CASE_TYPES }) @IsOptional() @IsIn(CASE_TYPES) type?: CaseType;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) author?: string;
}

export class TransitionDto {
  @ApiProperty({ enum: CASE_STATUSES }) @IsIn(CASE_STATUSES) to: string;
  @ApiPropertyOptional({ description: 'Required when resolving' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  resolution?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) author?: string;
}

export class CaseMessageDto {
  @ApiProperty({
    enum: ['internal', 'customer'],
    description: 'internal note, or a message the customer sees',
  })
  @IsIn(['internal', 'customer'])
  visibility: 'internal' | 'customer';
  @ApiPropertyOptional({ enum: ['outbound', 'inbound'], default: 'outbound' })
  @IsOptional()
  @IsIn(['outbound', 'inbound'])
  direction?: 'outbound' | 'inbound';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) author: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(20_000) body: string;
}

/** The text fields of a file upload to a case (multipart/form-data beside the field `file`): a message whose body may be left out. */
export class CaseAttachmentFormDto extends OmitType(CaseMessageDto, ['body'] as const) {
  @ApiPropertyOptional({ description: 'The message the file goes with (default: "attached <name>")' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  body?: string;
}

export class CaseListQuery {
  @ApiPropertyOptional({ default: 'default' }) @IsOptional() @IsString() @MaxLength(100) tenant?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Cases of the customer or naming it as a party' })
  @IsOptional()
  @IsUUID()
  customerId?: string;
  @ApiPropertyOptional({ enum: CASE_STATUSES }) @IsOptional() @IsIn(CASE_STATUSES) status?: string;
  @ApiPropertyOptional({ enum: CASE_TYPES }) @IsOptional() @IsIn(CASE_TYPES) type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) assignee?: string;
  @ApiPropertyOptional({ description: 'Only escalated (a clock at risk or breached), or only not' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  escalated?: boolean;
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class ArticleDto {
  @ApiProperty({ enum: CASE_TYPES }) @IsIn(CASE_TYPES) caseType: CaseType;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) title: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(20_000) body: string;
}

export class KbQuery {
  @ApiPropertyOptional({ default: 'default' }) @IsOptional() @IsString() @MaxLength(100) tenant?: string;
  @ApiPropertyOptional({ enum: CASE_TYPES }) @IsOptional() @IsIn(CASE_TYPES) type?: string;
}

// ---- Answers (the OpenAPI document types the web console's generated client from these) ----

export class CaseSlaCalendarDto {
  @ApiProperty({ description: 'Start of the business day (HH:MM, in zone)' }) open: string;
  @ApiProperty({ description: 'End of the business day (HH:MM, in zone)' }) close: string;
  @ApiProperty({ description: 'IANA time zone of the business hours' }) zone: string;
  @ApiProperty({ type: [Number], description: 'ISO weekdays that are business days (1 = Monday)' })
  workdays: number[];
  @ApiProperty({ type: [String], description: 'Holidays (YYYY-MM-DD), not counted' }) holidays: string[];
}

export class CaseSlaDto {
  @ApiProperty({ description: 'Service tier the clocks were taken from' }) tier: string;
  @ApiProperty({ description: 'Business minutes allowed until the first response' })
  firstResponseMinutes: number;
  @ApiProperty({ description: 'Business minutes allowed until resolution' }) resolutionMinutes: number;
  @ApiProperty({ description: 'Share of a clock used after which it is at risk' }) atRiskShare: number;
  @ApiProperty({ type: CaseSlaCalendarDto, description: 'Business hours the clocks count in' })
  calendar: CaseSlaCalendarDto;
}

export class CaseListItemDto {
  @ApiProperty({ description: 'Case id' }) id: string;
  @ApiProperty({ description: 'Tenant of the case' }) tenant: string;
  @ApiProperty({ description: 'Case number, C-000001' }) number: string;
  @ApiProperty({ enum: CASE_TYPES, description: 'Kind of case' }) type: string;
  @ApiProperty({ enum: CASE_PRIORITIES, description: 'Priority' }) priority: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Which rule set the priority' })
  priorityReason: string | null;
  @ApiProperty({ enum: CASE_STATUSES, description: 'Workflow status' }) status: string;
  @ApiProperty({ description: 'Subject line' }) subject: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'What happened' })
  description: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Who works on it' })
  assignee: string | null;
  @ApiProperty({ description: 'How it was opened (api, delivery-exception, partner...)' }) origin: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The customer of the case' })
  customerId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Order it is about (its source)' })
  orderSource: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Order it is about (its id there)' })
  orderExternalId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Shipment it is about (its source)' })
  deliverySource: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Shipment it is about (its id there)' })
  deliveryExternalId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Invoice it is about (its id there)' })
  invoiceExternalId: string | null;
  @ApiProperty({ description: 'When it was opened' }) openedAt: string;
  @ApiProperty({ description: 'First response due (business hours)' }) firstResponseDueAt: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When it was first answered' })
  firstRespondedAt: string | null;
  @ApiProperty({ description: 'Resolution due (business hours)' }) resolutionDueAt: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When it was resolved' })
  resolvedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'How it was resolved' })
  resolution: string | null;
  @ApiProperty({ description: 'Escalation level (0 = none)' }) escalationLevel: number;
  @ApiProperty({ type: CaseSlaDto, description: 'The service level the clocks run on' }) sla: CaseSlaDto;
}

export class CasePageDto {
  @ApiProperty({ type: [CaseListItemDto], description: 'Cases, newest first' }) items: CaseListItemDto[];
  @ApiProperty({ description: 'Cases matching the filters' }) total: number;
  @ApiProperty({ description: 'Page size' }) limit: number;
  @ApiProperty({ description: 'Offset of the page' }) offset: number;
}

export class CaseClockDto {
  @ApiProperty({ description: 'Business minutes allowed' }) allowedMinutes: number;
  @ApiProperty({ description: 'Business minutes used so far (or until stopped)' }) usedMinutes: number;
  @ApiProperty({ description: 'When it is due' }) dueAt: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When it stopped' })
  stoppedAt: string | null;
  @ApiProperty({ enum: ['running', 'met', 'breached'], description: 'Where the clock stands' }) state: string;
}

export class CaseClocksDto {
  @ApiProperty({ type: CaseClockDto, description: 'Time to the first response' }) firstResponse: CaseClockDto;
  @ApiProperty({ type: CaseClockDto, description: 'Time to resolution' }) resolution: CaseClockDto;
}

export class CaseAttachmentViewDto {
  @ApiProperty({ format: 'uuid', description: 'Attachment id (GET …/attachments/{id} downloads it)' })
  id: string;
  @ApiProperty({ description: "The sender's name for it" }) filename: string;
  @ApiProperty({ description: 'The type its bytes are', example: 'application/pdf' }) contentType: string;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty({ description: 'SHA-256 of the bytes (hex)' }) sha256: string;
  @ApiProperty({ description: 'When it was attached' }) at: string;
}

export class CaseMessageViewDto {
  @ApiProperty({ description: 'Message id' }) id: string;
  @ApiProperty({ enum: ['customer', 'internal'], description: 'Who may see it' }) visibility: string;
  @ApiProperty({ enum: ['inbound', 'outbound'], description: 'From or to the customer' }) direction: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Who wrote it' }) author: string | null;
  @ApiProperty({ description: 'Text' }) body: string;
  @ApiProperty({ description: 'When' }) at: string;
  @ApiProperty({ type: [CaseAttachmentViewDto], description: 'Files sent with it' })
  attachments: CaseAttachmentViewDto[];
}

export class CaseSlaEventDto {
  @ApiProperty({ enum: ['first-response', 'resolution'], description: 'Which clock' }) clock: string;
  @ApiProperty({ description: 'at-risk, breached, escalated...' }) kind: string;
  @ApiProperty({ description: 'Due time of the clock then' }) dueAt: string;
  @ApiProperty({ description: 'When it was recorded' }) recordedAt: string;
}

export class CasePartyViewDto {
  @ApiProperty({ enum: PARTY_ROLES, description: 'Role of the party' }) role: string;
  @ApiProperty({ description: 'Source of the customer record' }) customerSource: string;
  @ApiProperty({ description: 'Id of the customer in that source' }) customerExternalId: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Unified customer id, once resolved' })
  customerId: string | null;
}

export class SuggestedResolutionDto {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Knowledge-base article id (null: built in)',
  })
  id: string | null;
  @ApiProperty({ description: 'Title' }) title: string;
  @ApiProperty({ description: 'What to do' }) body: string;
}

export class CaseDetailDto extends CaseListItemDto {
  @ApiProperty({ type: CaseClocksDto, description: 'Both SLA clocks now' }) clocks: CaseClocksDto;
  @ApiProperty({ type: [String], description: 'Statuses it may move to' }) allowedTransitions: string[];
  @ApiProperty({ type: [CasePartyViewDto], description: 'Parties (customer, consignee, carrier...)' })
  parties: CasePartyViewDto[];
  @ApiProperty({ type: [CaseMessageViewDto], description: 'Messages, oldest first' })
  messages: CaseMessageViewDto[];
  @ApiProperty({ type: [CaseSlaEventDto], description: 'At-risk, breach and escalation events' })
  slaEvents: CaseSlaEventDto[];
  @ApiProperty({ type: [SuggestedResolutionDto], description: 'Knowledge-base suggestions for its type' })
  suggestedResolutions: SuggestedResolutionDto[];
}
