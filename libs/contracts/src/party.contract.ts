import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * Roles a customer plays in one order or shipment. Logistics customers are dual: the shipper and
 * the consignee of one shipment are both customers of the 3PL, so the role sits on the relation.
 */
export const PARTY_ROLES = ['customer', 'shipper', 'consignee', 'bill-to', 'supplier', 'notify'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

/** A reference to a customer by its id in a source system (this message's source by default). */
export class PartyRefV1 {
  @ApiProperty({ enum: PARTY_ROLES }) @IsIn(PARTY_ROLES) role: PartyRole;

  @ApiProperty({ description: 'Id of the customer in the source system', example: 'ALFKI' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  customerExternalId: string;

  @ApiPropertyOptional({
    description: 'Connector instance holding that customer, when not this message source',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  customerSource?: string;
}

/** Payloads that belong to one customer, named by its id in a source (orders, invoices, interactions). */
export abstract class CustomerReferenceV1 {
  @ApiProperty({
    description: 'The customer, by its id in the same source (or in customerSource)',
    example: 'ALFKI',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  customerExternalId: string;

  @ApiPropertyOptional({
    description: 'Connector instance holding the customer, when not this message source',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  customerSource?: string;
}
