import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { PartyRefV1 } from './party.contract';
import { IsNotBefore, IsTimestamp } from './validators';

/** Shipment statuses every connector maps to (carrier codes go in `sourceStatus`). */
export const DELIVERY_STATUSES = [
  'CREATED',
  'PLANNED',
  'PICKED_UP',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'EXCEPTION',
  'RETURNED',
  'CANCELLED',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What went wrong, on an `EXCEPTION` event (damage and loss open a case automatically). */
export const DELIVERY_EXCEPTIONS = ['DAMAGE', 'LOSS', 'DELAY', 'WRONG_DELIVERY', 'REFUSED', 'OTHER'] as const;
export type DeliveryException = (typeof DELIVERY_EXCEPTIONS)[number];

export class PackageV1 {
  @ApiProperty({ example: '00340434161234567890', description: 'Package id (SSCC, label number)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  ref: string;

  @ApiPropertyOptional() @IsOptional() @IsNumber({ maxDecimalPlaces: 3 }) @Min(0) weightKg?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) type?: string;
}

/**
 * `<context>.delivery.status-changed.v1`: a delivery / shipment reached a status at `occurredAt`.
 * The status at the latest event time is current: an older event arriving late never regresses it.
 */
@JSONSchema({
  description: 'Names its order, its customer, or both',
  anyOf: [{ required: ['orderExternalId'] }, { required: ['customerExternalId'] }],
})
export class DeliveryStatusChangedV1 {
  @ApiProperty({ description: 'Shipment or delivery id in the source', example: 'SHP-000123' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  externalId: string;

  @ApiProperty({ enum: DELIVERY_STATUSES }) @IsIn(DELIVERY_STATUSES) status: DeliveryStatus;

  @ApiPropertyOptional({
    enum: DELIVERY_EXCEPTIONS,
    description: 'What went wrong (with status EXCEPTION); damage, loss and delay open a case',
  })
  @IsOptional()
  @IsIn(DELIVERY_EXCEPTIONS)
  exceptionType?: DeliveryException;

  @ApiPropertyOptional({ description: 'Status code as the carrier or system wrote it' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sourceStatus?: string;

  @ApiPropertyOptional({ description: 'Order the delivery fulfils (required when no customer is named)' })
  @ValidateIf(
    (o: DeliveryStatusChangedV1) => o.customerExternalId === undefined || o.orderExternalId !== undefined,
  )
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  orderExternalId?: string;

  @ApiPropertyOptional({ description: 'Connector instance holding the order, when not this message source' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  orderSource?: string;

  @ApiPropertyOptional({ description: 'Customer the delivery is for (required when no order is named)' })
  @ValidateIf(
    (o: DeliveryStatusChangedV1) => o.orderExternalId === undefined || o.customerExternalId !== undefined,
  )
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  customerExternalId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) customerSource?: string;

  @ApiPropertyOptional({ type: [PartyRefV1], description: 'Shipper, consignee, notify party...' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PartyRefV1)
  parties?: PartyRefV1[];

  @ApiPropertyOptional({ example: 'DHL Freight' }) @IsOptional() @IsString() @MaxLength(200) carrier?: string;

  @ApiPropertyOptional({ type: [String], description: 'Tracking numbers, waybills, container numbers' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  trackingRefs?: string[];

  @ApiPropertyOptional({ description: 'Start of the promised delivery window' })
  @IsOptional()
  @IsTimestamp()
  promisedFrom?: string;

  @ApiPropertyOptional({ description: 'End of the promised delivery window' })
  @IsOptional()
  @IsTimestamp()
  @IsNotBefore('promisedFrom')
  promisedTo?: string;

  @ApiPropertyOptional({
    description:
      'A promise given as a day, not a time ("estimated delivery date"): delivered any time that day, in promiseZone, is on time. Used when promisedTo is absent.',
    example: '2018-11-30',
  })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    message: 'promisedDate must be a date, YYYY-MM-DD',
  })
  promisedDate?: string;

  @ApiPropertyOptional({
    description: 'IANA time zone of promisedDate (the day ends at midnight there); default UTC',
    example: 'America/Sao_Paulo',
  })
  @IsOptional()
  @Matches(/^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+){1,2})$/, {
    message: 'promiseZone must be an IANA time zone, e.g. Europe/Amsterdam',
  })
  promiseZone?: string;

  @ApiPropertyOptional() @IsOptional() @IsTimestamp() pickedUpAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsTimestamp() deliveredAt?: string;
  @ApiPropertyOptional({ example: 'Rotterdam, NL' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;

  @ApiPropertyOptional({ type: [PackageV1] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PackageV1)
  packages?: PackageV1[];
}
