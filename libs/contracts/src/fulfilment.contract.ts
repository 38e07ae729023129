import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsTimestamp, QUANTITY_MAX } from './validators';

/** Where the goods go (or who the depositor is): a name and an address, with the id the CRM knows. */
export class FulfilmentAddressV1 {
  @ApiProperty({ example: 'Alfreds Futterkiste' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional({ description: "The customer's id in the order's source" })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  externalId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) street?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) postalCode?: string;
  @ApiPropertyOptional({ example: 'DE' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code' })
  country?: string;
}

export class FulfilmentLineV1 {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) sku: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) description?: string;
  @ApiProperty({ maximum: QUANTITY_MAX }) @IsNumber() @Min(0) @Max(QUANTITY_MAX) quantity: number;
}

/**
 * `crm.order.fulfilment-requested.v1`: a person asked a warehouse to ship a customer's order (the
 * warehouse connector writes it as its shipping order: an X12 940, an EDIFACT ORDERS…). Sent only
 * to the instance named in `toSources`.
 */
export class OrderFulfilmentRequestedV1 {
  @ApiProperty({ format: 'uuid', description: 'The request (its audit row names it)' })
  @IsUUID()
  requestId: string;

  @ApiProperty({ description: 'Connector instance holding the order', example: 'erp-sap-idoc:main' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  orderSource: string;

  @ApiProperty({ example: '10643' }) @IsString() @IsNotEmpty() @MaxLength(128) orderExternalId: string;

  @ApiProperty({ type: FulfilmentAddressV1, description: 'The depositor: the customer whose goods they are' })
  @ValidateNested()
  @Type(() => FulfilmentAddressV1)
  depositor: FulfilmentAddressV1;

  @ApiProperty({ type: FulfilmentAddressV1, description: 'Ship to (the consignee party, else the customer)' })
  @ValidateNested()
  @Type(() => FulfilmentAddressV1)
  shipTo: FulfilmentAddressV1;

  @ApiProperty() @IsTimestamp() orderedAt: string;
  @ApiPropertyOptional() @IsOptional() @IsTimestamp() requiredAt?: string;
  @ApiPropertyOptional({ example: 'UPS GROUND' }) @IsOptional() @IsString() @MaxLength(200) carrier?: string;

  @ApiProperty({ type: [FulfilmentLineV1] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => FulfilmentLineV1)
  lines: FulfilmentLineV1[];

  @ApiPropertyOptional({ description: 'For the warehouse (handling instructions)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;

  @ApiProperty({ type: [String], description: 'The warehouse connector instance to send it to' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1)
  @IsString({ each: true })
  toSources: string[];
}
