import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { KNOWN_TAX_ID_SCHEMES, TAX_ID_TEXT } from './tax-id';
import { IsTaxIdOfScheme } from './validators';

/** Identifier schemes a customer can carry besides its id in the source. */
export const IDENTIFIER_SCHEMES = [
  'vat',
  'eori',
  'duns',
  'erp-customer-no',
  'tms-shipper-code',
  'wms-account',
] as const;
export type IdentifierScheme = (typeof IDENTIFIER_SCHEMES)[number];

export class CustomerIdentifierV1 {
  @ApiProperty({ enum: IDENTIFIER_SCHEMES, example: 'erp-customer-no' })
  @IsIn(IDENTIFIER_SCHEMES)
  scheme: IdentifierScheme;

  @ApiProperty({ example: '100042' }) @IsString() @IsNotEmpty() @MaxLength(128) value: string;
}

export class TaxIdV1 {
  @ApiPropertyOptional({
    description: `Scheme, as the source names it; checked when known (${KNOWN_TAX_ID_SCHEMES.join(', ')}), kept as sent otherwise`,
    example: 'do_rnc',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{1,29}$/, { message: 'scheme must be lower-case letters, digits and _ (2-30)' })
  scheme?: string;

  @ApiPropertyOptional({ description: 'Issuing country (ISO 3166-1 alpha-2)', example: 'DO' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;

  @ApiProperty({ description: 'The id as the source wrote it (separators allowed)', example: '1-01-12345-6' })
  @IsString()
  @Matches(TAX_ID_TEXT, {
    message: 'value must be 1-64 letters, digits, blanks or . - / + *, with at least one digit',
  })
  @IsTaxIdOfScheme('scheme')
  value: string;
}

export class ContactV1 {
  @ApiProperty({ example: 'Maria Anders' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) phone?: string;
  @ApiPropertyOptional({ example: 'Sales Representative' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  role?: string;
}

export const ADDRESS_TYPES = ['billing', 'shipping', 'site', 'other'] as const;

export class AddressV1 {
  @ApiProperty({ enum: ADDRESS_TYPES }) @IsIn(ADDRESS_TYPES) type: (typeof ADDRESS_TYPES)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) street?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) postalCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(2, 60) country?: string;
}

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

  @ApiPropertyOptional({
    description:
      'Tax / VAT registration number as the source holds it, from any country (EU and UK VAT are recognised by their prefix; any other is kept as sent)',
    example: 'DE123456789',
  })
  @IsOptional()
  @IsString()
  @Matches(TAX_ID_TEXT, {
    message: 'vatId must be 1-64 letters, digits, blanks or . - / + *, with at least one digit',
  })
  vatId?: string;

  @ApiPropertyOptional({
    type: [TaxIdV1],
    description: 'Tax ids with their scheme and country (several countries, or a scheme besides VAT)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => TaxIdV1)
  taxIds?: TaxIdV1[];

  @ApiPropertyOptional({ description: 'EU Economic Operators Registration and Identification number' })
  @IsOptional()
  @Matches(/^[A-Z]{2}[0-9A-Z]{1,15}$/, { message: 'eori must be a country prefix and up to 15 characters' })
  eori?: string;

  @ApiPropertyOptional({ description: 'Dun & Bradstreet number (9 digits)' })
  @IsOptional()
  @Matches(/^[0-9]{9}$/, { message: 'duns must be 9 digits' })
  duns?: string;

  @ApiPropertyOptional({ type: [CustomerIdentifierV1], description: 'Other ids of this customer' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CustomerIdentifierV1)
  identifiers?: CustomerIdentifierV1[];

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

  @ApiPropertyOptional({ type: [ContactV1] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ContactV1)
  contacts?: ContactV1[];

  @ApiPropertyOptional({ type: [AddressV1], description: 'Further addresses (billing, shipping, sites)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AddressV1)
  addresses?: AddressV1[];
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

  @ApiProperty({ type: [String], description: 'Customer fields whose value changed (name, vatId, city...)' })
  @IsArray()
  @IsString({ each: true })
  changedFields: string[];
}

export class CustomerIdentityV1 {
  @ApiProperty({ description: 'Connector instance' }) @IsString() source: string;
  @ApiProperty() @IsString() externalId: string;
}

/** `crm.customer.merged.v1`: two customers are now one; the ERP should link or merge its records. */
export class CustomerMergedV1 {
  @ApiProperty({ format: 'uuid' }) @IsString() survivorId: string;
  @ApiProperty({ format: 'uuid', description: 'Customer that no longer exists on its own' })
  @IsString()
  mergedId: string;

  @ApiProperty({ format: 'uuid' }) @IsString() mergeId: string;
  @ApiProperty({ description: 'Match rule (vat, eori, duns, erp-customer-no...) or manual' })
  @IsString()
  rule: string;

  @ApiProperty({ type: [CustomerIdentityV1], description: 'Source records that moved to the survivor' })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CustomerIdentityV1)
  movedIdentities: CustomerIdentityV1[];
}

/** `crm.customer.unmerged.v1`: a merge was undone; the restored customer has its records back. */
export class CustomerUnmergedV1 {
  @ApiProperty({ format: 'uuid' }) @IsString() survivorId: string;
  @ApiProperty({ format: 'uuid' }) @IsString() restoredId: string;
  @ApiProperty({ format: 'uuid' }) @IsString() mergeId: string;
  @ApiProperty({ type: [CustomerIdentityV1] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CustomerIdentityV1)
  restoredIdentities: CustomerIdentityV1[];
}

/** `crm.customer.segment-changed.v1`: a (re-)classification moved the customer to another class or stage. */
export class CustomerSegmentChangedV1 {
  @ApiProperty({ format: 'uuid' }) @IsString() customerId: string;
  @ApiProperty({ enum: ['A', 'B', 'C'] }) @IsString() abc: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() previousAbc?:
    string | null;
  @ApiProperty({ enum: ['trial', 'formation', 'stable', 'decline'] }) @IsString() lifecycle: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsString() previousLifecycle?:
    string | null;
  @ApiPropertyOptional({ description: 'VIP by rule (class A, top revenue share)' })
  @IsOptional()
  @IsBoolean()
  vip?: boolean;
  @ApiPropertyOptional({
    enum: ['profitable', 'growth', 'low-profit-low-growth'],
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  valueClass?: string | null;
  @ApiProperty({ description: 'The rule and the numbers behind it' }) @IsString() reason: string;
}
