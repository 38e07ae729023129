import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
