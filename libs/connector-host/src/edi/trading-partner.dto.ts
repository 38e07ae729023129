import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import { PARTNER_DOCUMENT_TYPES, PartnerDocumentType } from '@tradelane/connector-sdk';

export const EDI_STANDARDS = ['x12', 'edifact'] as const;
export const ACKNOWLEDGEMENTS = ['997', '999', 'CONTRL', 'none'] as const;

/** A trading partner to add: its interchange id per standard, the customer it is, what it wants back. */
export class AddTradingPartnerDto {
  @ApiProperty({ example: 'MGC carrier' }) @IsString() @IsNotEmpty() @MaxLength(100) name: string;

  @ApiProperty({ enum: EDI_STANDARDS, description: 'The EDI standard its interchanges use' })
  @IsIn(EDI_STANDARDS)
  standard: 'x12' | 'edifact';

  @ApiProperty({
    example: 'ZZ',
    description:
      'X12 ISA05 (two characters: ZZ, 01 DUNS, 02 SCAC, 12 phone…); EDIFACT UNB 0007 (may be empty: "")',
  })
  @IsString()
  @Matches(/^[0-9A-Z]{0,4}$/, { message: 'qualifier must be up to four upper-case letters or digits' })
  qualifier: string;

  @ApiProperty({ example: 'SCAC', description: 'X12 ISA06 / EDIFACT UNB 0004 sender identification' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(35)
  @Matches(/^[^\s*~'+:?]([^*~'+:?]*[^\s*~'+:?])?$/, {
    message: 'interchangeId holds no separator character and no leading or trailing space',
  })
  interchangeId: string;

  @ApiPropertyOptional({
    description: 'The unified customer (or carrier) the partner is, by its id in customerSource',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  customerExternalId?: string;

  @ApiPropertyOptional({ example: 'erp-sap-idoc:main' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  customerSource?: string;

  @ApiPropertyOptional({ enum: ACKNOWLEDGEMENTS, description: 'Default: 997 for X12, CONTRL for EDIFACT' })
  @IsOptional()
  @IsIn(ACKNOWLEDGEMENTS)
  acknowledgement?: (typeof ACKNOWLEDGEMENTS)[number];

  @ApiPropertyOptional({
    enum: ['warn', 'reject'],
    default: 'warn',
    description:
      'Control counts or numbers that disagree (SE01, GE01, IEA02, UNT…): accept with the error noted, or reject',
  })
  @IsOptional()
  @IsIn(['warn', 'reject'])
  controlCounts?: 'warn' | 'reject';

  @ApiPropertyOptional({
    default: 'UTC',
    example: 'America/Chicago',
    description: 'IANA zone of the local times it sends',
  })
  @IsOptional()
  @IsTimeZone({ message: 'timeZone must be an IANA time zone, e.g. America/Chicago' })
  timeZone?: string;

  @ApiPropertyOptional({
    default: 30,
    minimum: 0,
    maximum: 365,
    description: 'Days to the due date of its invoices that state no terms',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(365)
  paymentTermsDays?: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['214', '210'],
    description: 'Agreed ST01 / UNH 0065; empty: all',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[0-9A-Z]{3,6}$/, { each: true, message: 'transactionSets are ids such as 214 or IFTSTA' })
  transactionSets?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['004010', '005010'],
    description: 'Agreed versions: X12 GS08, EDIFACT UNH version and release (D96A); empty: any',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[0-9A-Z:]{3,12}$/, { each: true, message: 'versions are ids such as 004010 or D96A' })
  versions?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The partner organisation it is (POST /partners): its scope decides which records its documents tell it about',
  })
  @IsOptional()
  @IsUUID()
  partnerId?: string;

  @ApiPropertyOptional({
    example: 'transport-x12:carriers',
    description: 'The connector instance that writes its documents (into its outbound folder / SFTP server)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  outboundInstanceId?: string;

  @ApiPropertyOptional({
    type: [String],
    enum: PARTNER_DOCUMENT_TYPES,
    example: ['214', '856'],
    description:
      "Documents it is sent: 214 / IFTSTA when a shipment's status changes, 856 / DESADV once it has left, 810 / INVOIC per invoice, 846 / INVRPT when a stock level changes (needs partnerId and outboundInstanceId)",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(8)
  @IsIn(PARTNER_DOCUMENT_TYPES, { each: true })
  outboundDocuments?: PartnerDocumentType[];

  @ApiPropertyOptional({ default: 'default' }) @IsOptional() @IsString() @MaxLength(100) tenant?: string;
}

/** What may change on a partner (not its standard or tenant); `status: disabled` refuses its files. */
export class UpdateTradingPartnerDto extends PartialType(AddTradingPartnerDto) {
  @ApiPropertyOptional({
    enum: ['active', 'disabled'],
    description: 'disabled: its interchanges are refused (kept as dead letters)',
  })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';
}

export class TradingPartnerDto {
  @ApiProperty() id: string;
  @ApiProperty() tenant: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: EDI_STANDARDS, description: 'x12 or edifact' }) standard: string;
  @ApiProperty({ description: 'X12 ISA05 / EDIFACT UNB 0007' }) qualifier: string;
  @ApiProperty({ description: 'X12 ISA06 / EDIFACT UNB 0004 (upper case)' }) interchangeId: string;
  @ApiPropertyOptional({ type: String, nullable: true }) customerExternalId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) customerSource: string | null;
  @ApiProperty({ enum: ACKNOWLEDGEMENTS, description: 'What it gets back for each group / interchange' })
  acknowledgement: string;
  @ApiProperty({ enum: ['warn', 'reject'], description: 'Control counts that disagree: warn or reject' })
  controlCounts: string;
  @ApiProperty({ description: 'IANA zone of its local times' }) timeZone: string;
  @ApiProperty({ description: 'Days to due date of invoices stating no terms' }) paymentTermsDays: number;
  @ApiProperty({ type: [String], description: 'Agreed transaction sets / messages (empty: all)' })
  transactionSets: string[];
  @ApiProperty({ type: [String], description: 'Agreed versions (empty: any)' }) versions: string[];
  @ApiProperty({ enum: ['active', 'disabled'], description: 'disabled: its interchanges are refused' })
  status: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The partner organisation whose scope it is told within',
  })
  partnerId: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The instance that writes its documents',
  })
  outboundInstanceId: string | null;
  @ApiProperty({ type: [String], enum: PARTNER_DOCUMENT_TYPES, description: 'Documents it is sent' })
  outboundDocuments: string[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'When a document was last sent to it' })
  lastDocumentAt: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Highest interchange control number received',
  })
  lastControl: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'When its last interchange was received',
  })
  lastReceivedAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class TradingPartnerPageDto {
  @ApiProperty({ type: [TradingPartnerDto] }) items: TradingPartnerDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class TradingPartnerQuery {
  @ApiPropertyOptional({ enum: EDI_STANDARDS }) @IsOptional() @IsIn(EDI_STANDARDS) standard?: string;
  @ApiPropertyOptional({ description: 'Name or interchange id starts with (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}
