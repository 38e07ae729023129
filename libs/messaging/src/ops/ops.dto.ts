import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEDGER_STATUSES, LedgerStatus } from '@tradelane/persistence';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;
}

export class LedgerQueryDto extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) key?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) messageId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) correlationId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) type?: string;
  @ApiPropertyOptional({ enum: LEDGER_STATUSES }) @IsOptional() @IsIn(LEDGER_STATUSES) status?: LedgerStatus;

  @ApiPropertyOptional({ description: 'Cursor: the `nextCursor` of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'before must be a cursor returned by a previous page' })
  before?: string;
}

export class DeadLetterQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: ['dead', 'redriven'], default: 'dead' })
  @IsOptional()
  @IsIn(['dead', 'redriven'])
  status: 'dead' | 'redriven' = 'dead';

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) key?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) consumer?: string;
  @ApiPropertyOptional({ description: 'Only those of messages from this connector instance (erp-odoo:main)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;

  @ApiPropertyOptional({ description: 'Cursor: the `nextCursor` of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'after must be a cursor returned by a previous page' })
  after?: string;
}

export class RedriveRequestDto {
  @ApiPropertyOptional({ description: 'Redrive one message by id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  messageId?: string;

  @ApiPropertyOptional({ description: 'Redrive every dead letter of a message type' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  type?: string;

  @ApiPropertyOptional({ description: 'Redrive every dead letter of a business key' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  key?: string;

  @ApiPropertyOptional({
    description:
      'Redrive every dead letter of messages from this connector instance (erp-odoo:main); with type or key, only those',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 10000, default: 1000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  limit = 1000;
}

export class LedgerEntryDto {
  @ApiProperty() seq: string;
  @ApiProperty() messageId: string;
  @ApiProperty({ enum: ['in', 'out'] }) direction: string;
  @ApiProperty() consumer: string;
  @ApiProperty({ enum: LEDGER_STATUSES }) status: string;
  @ApiProperty() attempt: number;
  @ApiPropertyOptional({ nullable: true, type: String }) type: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) key: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) correlationId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) causationId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) source: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) errorCode: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) errorMessage: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) errorField: string | null;
  @ApiProperty() at: Date;
}

export class LedgerPageDto {
  @ApiProperty({ type: [LedgerEntryDto] }) items: LedgerEntryDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

export class DeadLetterDto {
  @ApiProperty() id: string;
  @ApiProperty() messageId: string;
  @ApiProperty() consumer: string;
  @ApiPropertyOptional({ nullable: true, type: String }) type: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) key: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Connector instance the message came from',
  })
  source: string | null;
  @ApiProperty() errorCode: string;
  @ApiProperty() errorMessage: string;
  @ApiPropertyOptional({ nullable: true, type: String }) errorField: string | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ enum: ['dead', 'redriven'] }) status: string;
  @ApiProperty() deadLetteredAt: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) redrivenAt: Date | null;
  @ApiProperty() redriveCount: number;
  @ApiProperty({ description: 'The message body as received (UTF-8; see bodyBase64 for the exact bytes)' })
  body: string;
  @ApiProperty() bodyBase64: string;
}

export class DeadLetterPageDto {
  @ApiProperty({ type: [DeadLetterDto] }) items: DeadLetterDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

export class RedriveResultDto {
  @ApiProperty() count: number;
  @ApiProperty({ type: [String] }) messageIds: string[];
}
