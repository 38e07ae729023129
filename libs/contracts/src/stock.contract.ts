import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { CustomerReferenceV1 } from './party.contract';
import { IsTimestamp, QUANTITY_MAX } from './validators';

/** The state a customer's stock is in at the warehouse. */
export const STOCK_STATUSES = ['available', 'allocated', 'damaged', 'on-hold'] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];

/** Why a level changed: a report of the level, goods received, shipped, adjusted, counted. */
export const STOCK_REASONS = [
  'reported',
  'received',
  'shipped',
  'adjusted',
  'counted',
  'status-change',
] as const;
export type StockReason = (typeof STOCK_REASONS)[number];

/**
 * `<context>.stock.level-changed.v1`: the 3PL holds a customer's goods; this is the level of one
 * SKU (and lot) at one warehouse in one status: the level itself (`quantity`, an inventory advice)
 * or a change of it (`change`, a receipt or an adjustment), or both. A change older than the last
 * level reported is kept in the history and not applied again (that report already counts it).
 */
@JSONSchema({
  description: 'Carries the level, the change, or both',
  anyOf: [{ required: ['quantity'] }, { required: ['change'] }],
})
export class StockLevelChangedV1 extends CustomerReferenceV1 {
  @ApiProperty({
    description: 'The report line, receipt line or adjustment in the source',
    example: '846-0001/3',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalId: string;

  @ApiProperty({ example: 'SKU-4711' }) @IsString() @IsNotEmpty() @MaxLength(100) sku: string;
  @ApiPropertyOptional({ description: 'Lot or batch', example: 'L-2026-11' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lot?: string;

  @ApiProperty({ description: 'Warehouse (or location) id', example: 'DC1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  warehouse: string;

  @ApiProperty({ enum: STOCK_STATUSES }) @IsIn(STOCK_STATUSES) status: StockStatus;

  @ApiPropertyOptional({ description: 'The level after this event', maximum: QUANTITY_MAX })
  @ValidateIf((o: StockLevelChangedV1) => o.change === undefined || o.quantity !== undefined)
  @IsNumber()
  @Min(0)
  @Max(QUANTITY_MAX)
  quantity?: number;

  @ApiPropertyOptional({ description: 'Signed change (received +, shipped or written off -)' })
  @ValidateIf((o: StockLevelChangedV1) => o.quantity === undefined || o.change !== undefined)
  @IsNumber()
  @Min(-QUANTITY_MAX)
  @Max(QUANTITY_MAX)
  change?: number;

  @ApiPropertyOptional({ example: 'EA' }) @IsOptional() @IsString() @MaxLength(10) unit?: string;
  @ApiProperty({ enum: STOCK_REASONS }) @IsIn(STOCK_REASONS) reason: StockReason;
  @ApiProperty({ description: 'When the level was (or the change happened) at the warehouse' })
  @IsTimestamp()
  asOf: string;

  @ApiPropertyOptional({ description: 'Reason code as the warehouse wrote it' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sourceReason?: string;
}
