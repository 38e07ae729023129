import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

/** `<context>.customer.upserted.v1`: a customer (account) as a source system holds it. */
export class CustomerUpsertedV1 {
  @ApiProperty({ description: 'Id of the customer in the source system', example: 'ALFKI' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  externalId: string;

  @ApiProperty({ example: 'Alfreds Futterkiste' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  name: string;

  @ApiPropertyOptional({ description: 'VAT registration number', example: 'DE123456789' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{2}[0-9A-Z+*.]{2,13}$/, { message: 'vatId must be a country prefix and 2-13 characters' })
  vatId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  street?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  city?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20)
  postalCode?: string;

  @ApiPropertyOptional({ description: 'Country name or ISO 3166 code as the source writes it' })
  @IsOptional()
  @IsString()
  @Length(2, 60)
  country?: string;
}

/** `crm.customer.created.v1` / `crm.customer.updated.v1`: ids and what changed, not the record. */
export class CustomerChangedV1 {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  customerId: string;

  @ApiProperty({ description: 'Connector instance whose event caused the change (no echo back to it)' })
  @IsString()
  originSource: string;

  @ApiProperty({ description: 'Id of the customer at the origin source' })
  @IsString()
  originExternalId: string;
}
