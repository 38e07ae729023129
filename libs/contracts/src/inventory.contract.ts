import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CustomerReferenceV1 } from './party.contract';
import { IsTimestamp, QUANTITY_MAX } from './validators';

/**
 * `<context>.inventory.counted.v1`: a warehouse counted a customer's stock of one item at one
 * location (cycle count or stock take). Inventory accuracy compares the count with the book quantity.
 */
export class InventoryCountedV1 extends CustomerReferenceV1 {
  @ApiProperty({ description: 'Count id in the WMS (one item at one location)', example: 'CC-2026-0001-17' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  externalId: string;

  @ApiProperty({ example: 'SKU-4711' }) @IsString() @IsNotEmpty() @MaxLength(100) sku: string;
  @ApiPropertyOptional({ example: 'A-01-03' }) @IsOptional() @IsString() @MaxLength(100) location?: string;
  @ApiProperty() @IsTimestamp() countedAt: string;

  @ApiProperty({ description: 'Quantity the WMS books held before the count' })
  @IsNumber()
  @Min(0)
  @Max(QUANTITY_MAX)
  systemQuantity: number;

  @ApiProperty({ description: 'Quantity found' })
  @IsNumber()
  @Min(0)
  @Max(QUANTITY_MAX)
  countedQuantity: number;
}
