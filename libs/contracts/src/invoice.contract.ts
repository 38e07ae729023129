import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { CustomerReferenceV1 } from './party.contract';
import { AMOUNT_MAX, IsNotBefore, IsTimestamp, MONEY_SCHEMA } from './validators';

export const INVOICE_STATUSES = ['OPEN', 'PARTIALLY_PAID', 'PAID', 'CANCELLED'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

const money = { maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false };

/** `<context>.invoice.upserted.v1`: an invoice as the billing system holds it. */
export class InvoiceUpsertedV1 extends CustomerReferenceV1 {
  @ApiProperty({ example: 'INV-2026-000123' }) @IsString() @IsNotEmpty() @MaxLength(128) externalId: string;

  @ApiPropertyOptional({ description: 'Order the invoice bills, by its id in the same source' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  orderExternalId?: string;

  @ApiProperty() @IsTimestamp() issuedAt: string;

  @ApiProperty() @IsTimestamp() @IsNotBefore('issuedAt') dueAt: string;

  @ApiProperty({ example: 'EUR' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency: string;

  @ApiProperty({ description: 'Total including tax', example: 1250.5 })
  @IsNumber(money)
  @Min(0)
  @Max(AMOUNT_MAX)
  @JSONSchema(MONEY_SCHEMA)
  totalAmount: number;

  @ApiPropertyOptional({ description: 'Amount paid so far', default: 0 })
  @IsOptional()
  @IsNumber(money)
  @Min(0)
  @Max(AMOUNT_MAX)
  @JSONSchema(MONEY_SCHEMA)
  paidAmount?: number;

  @ApiProperty({ enum: INVOICE_STATUSES }) @IsIn(INVOICE_STATUSES) status: InvoiceStatus;

  @ApiPropertyOptional({ description: 'The customer disputes the invoice' })
  @IsOptional()
  @IsBoolean()
  disputed?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) disputeReason?: string;
}
