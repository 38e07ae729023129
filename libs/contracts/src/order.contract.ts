import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CustomerReferenceV1, PartyRefV1 } from './party.contract';
import { AMOUNT_MAX, IsTimestamp, QUANTITY_MAX } from './validators';

export class OrderLineV1 {
  @ApiProperty({ description: 'SKU / product id' }) @IsString() @IsNotEmpty() @MaxLength(100) sku: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) description?: string;
  @ApiProperty({ maximum: QUANTITY_MAX, description: 'Quantity ordered' })
  @IsNumber()
  @Min(0)
  @Max(QUANTITY_MAX)
  quantity: number;
  @ApiProperty({ maximum: AMOUNT_MAX, description: 'Price per unit, in the order currency' })
  @IsNumber()
  @Min(0)
  @Max(AMOUNT_MAX)
  unitPrice: number;
  @ApiPropertyOptional({ description: 'Fraction 0..1' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  discount?: number;

  @ApiPropertyOptional({
    description: 'Quantity shipped so far (fill rate: a line is complete when it reaches `quantity`)',
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(QUANTITY_MAX)
  quantityShipped?: number;
}

/** What an order's `orderedAt` is when the source gave no order date. */
export const ORDER_DATE_BASES = ['order-date', 'requested-date', 'received'] as const;
export type OrderDateBasis = (typeof ORDER_DATE_BASES)[number];

/** `<context>.order.upserted.v1`: a customer order as a source system holds it. */
export class OrderUpsertedV1 extends CustomerReferenceV1 {
  @ApiProperty({ example: '10643' }) @IsString() @IsNotEmpty() @MaxLength(128) externalId: string;

  @ApiPropertyOptional({ type: [PartyRefV1], description: 'Other parties: shipper, consignee, bill-to...' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PartyRefV1)
  parties?: PartyRefV1[];

  @ApiPropertyOptional({ example: 'confirmed', description: 'Order status as the source names it' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  status?: string;

  @ApiProperty() @IsTimestamp() orderedAt: string;

  @ApiPropertyOptional({
    enum: ORDER_DATE_BASES,
    description:
      'What orderedAt is when it is not the order date: a requested ship/receipt date standing in for it, or when the document was received (it carries no date at all). Absent: the order date itself',
  })
  @IsOptional()
  @IsIn(ORDER_DATE_BASES)
  orderedAtBasis?: OrderDateBasis;
  @ApiPropertyOptional() @IsOptional() @IsTimestamp() requiredAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsTimestamp() shippedAt?: string;
  @ApiPropertyOptional({ example: 'Speedy Express' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  carrier?: string;

  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @ApiPropertyOptional({ maximum: AMOUNT_MAX })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(AMOUNT_MAX)
  freight?: number;

  @ApiPropertyOptional({ type: [OrderLineV1] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => OrderLineV1)
  lines?: OrderLineV1[];

  @ApiPropertyOptional({ description: 'Line count, when lines are sent separately' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(QUANTITY_MAX)
  lineCount?: number;
}
